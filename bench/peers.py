"""Side by side in one run: a floor, wagtail-lms and this platform in three set-ups.

    .venv/bin/python bench/peers.py [--seconds 10] [--rounds 3] [--connections 10]
        [--only NAME,...]

What runs, each as one gunicorn sync worker with production-like settings, all serving at
once on the same machine and measured one at a time:

- **floor**: a plain Django view returning a fixed 20 KB page through the middleware a new
  Wagtail project has (`wagtail start`), served by the wagtail-lms project below;
- **wagtail-lms**: the package from the index (``pip install wagtail-lms``) in a minimal
  Wagtail project of its own, in a temporary directory with its own venv: SQLite, DEBUG off;
- **ours** as the README installs it (SQLite, no Redis), SQLite with Redis, and PostgreSQL
  with Redis: the production settings, ``bootstrap --demo`` (the demo catalog and accounts).

Each gets a 20-lesson course with about 2 KB of text per lesson, and its learner (ours: the
demo learner) enrolled with the first half of the lessons done. Pages, each measured with
wrk (1 thread, ``--connections`` connections, ``--seconds`` after a 3 s warm-up): the course
for an anonymous visitor and for the learner, the learner's first lesson not yet done, the
catalog, the dashboard, and (ours only: wagtail-lms has no quizzes, catalog or dashboard) the
course's ten-question quiz, whose page the learner opens with an attempt under way, and that
attempt with three questions answered. Page by page, the floor is measured, then each
platform right after it, and the whole is done ``--rounds`` times: the table gives each
figure's median over the rounds and the median of its ratios to the floor measured just
before it, so that a machine whose speed changes during the run (a shared one does,
several-fold within minutes) moves both sides of each ratio together. After the pages, each
worker's resident memory (VmRSS) is read from /proc (the floor's after its first page).

Needs wrk, PostgreSQL on 127.0.0.1:5432 (user postgres, trust; a database made and dropped
by the run, BENCH_PEERS_DATABASE, default qa_bench_peers) and Redis (BENCH_REDIS_URL, default
redis://127.0.0.1:6379/0; keys under a prefix of the run's own).
"""

import argparse
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (
    HOST,
    PG_SERVER,
    REDIS_SERVER,
    ROOT,
    VENV_BIN,
    command_line,
    drop_database,
    free_port,
    machine,
    recreate_database,
    stop,
    wait_healthy,
    worker_pids,
)
from load import wrk
from peers_course import write_package
from peers_lms import FLOOR_BYTES, LESSON_TEXT, bench_line, build_lms

PAGES = [
    ("course, anonymous", "course", False),
    ("course, signed-in learner", "course", True),
    ("lesson, signed-in learner", "lesson", True),
    ("catalog, signed-in", "catalog", True),
    ("quiz, signed-in learner", "quiz", True),
    ("quiz attempt, 10 questions", "attempt", True),
    ("dashboard", "dashboard", True),
]
SETUPS = ["floor", "wagtail-lms", "sqlite", "sqlite-redis", "postgres-redis"]
TITLES = {
    "wagtail-lms": "wagtail-lms (SQLite)",
    "sqlite": "ours, SQLite, no Redis (default)",
    "sqlite-redis": "ours, SQLite + Redis",
    "postgres-redis": "ours, PostgreSQL + Redis",
}
PG_DATABASE = os.environ.get("BENCH_PEERS_DATABASE", "qa_bench_peers")


# --- ours ------------------------------------------------------------------------------------

OURS_SETUP = """
import json

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from importlib import import_module

from accounts.models import User
from courses import services
from courses.models import CoursePage, LessonPage, QuizPage
from courses.quiz.attempts import save_answer, start_attempt

TRUE_FALSE = ("pql-in-force", "sl-revised", "gb-t")
course = CoursePage.objects.get(slug="peers-course")
lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
learner = User.objects.get(username="learner")
enrolment = services.enrol(learner, course)
for lesson in lessons[: len(lessons) // 2]:
    enrolment = services.complete_lesson(enrolment, lesson)
quiz = QuizPage.objects.child_of(course).live().get()
attempt = start_attempt(learner, quiz)
# The three true/false questions answered (once: SQLite + Redis reuses the database).
for response in attempt.responses.filter(question_key__in=TRUE_FALSE, version=0):
    save_answer(attempt, response.question_key, True, 0)
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(learner.pk)
store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
store[HASH_SESSION_KEY] = learner.get_session_auth_hash()
store.create()
print("BENCH " + json.dumps({
    "course": course.url,
    "lesson": lessons[len(lessons) // 2].url,
    "quiz": quiz.url,
    "attempt": f"/learn/attempts/{attempt.pk}/",
    "catalog": "/courses/",
    "dashboard": "/dashboard/",
    "session": store.session_key,
}))
"""


def ours_env(temp, name, database_url, redis_url):
    folder = temp / name
    folder.mkdir()
    (folder / "qa_peers_settings.py").write_text(
        "from cms.settings.production import *  # noqa: F403\n"
        f"STATIC_ROOT = {str(temp / 'static')!r}\n"
        f"MEDIA_ROOT = {str(folder / 'media')!r}\n"
        f"EMAIL_FILE_PATH = {str(folder / 'mail')!r}\n"
        "BOOTSTRAP_DEMO_ALLOWED = True\n"
    )
    key = folder / "signing-key.pem"
    subprocess.run(
        ["openssl", "genpkey", "-algorithm", "ed25519", "-out", str(key)],
        check=True,
        capture_output=True,
    )
    return {
        **os.environ,
        "PYTHONPATH": str(folder),
        "DJANGO_SETTINGS_MODULE": "qa_peers_settings",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": f"qa-peers-{os.getpid()}",
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "CERTIFICATE_SIGNING_KEY_FILE": str(key),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    }


def manage(env, *args, capture=False):
    done = subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, capture_output=capture
    )
    if done.returncode:
        raise SystemExit(f"manage.py {args[0]} failed:\n{(done.stderr or b'').decode()[-3000:]}")
    return done


def bootstrap(env, package):
    manage(env, "bootstrap", "--demo", capture=True)
    manage(env, "import_course", str(package), capture=True)


def prepare_sqlite(env, package, temp, copy_from=None):
    if copy_from:
        shutil.copyfile(copy_from, temp / "ours.sqlite3")
        manage(env, "import_course", str(package), capture=True)
    else:
        print("bootstrapping ours on SQLite...", flush=True)
        bootstrap(env, package)


def prepare_postgres(env, package):
    print("bootstrapping ours on PostgreSQL...", flush=True)
    recreate_database(PG_DATABASE)
    bootstrap(env, package)


# --- measuring -------------------------------------------------------------------------------


def serve(gunicorn, wsgi, cwd, env, log):
    port = free_port()
    command = [
        str(gunicorn),
        wsgi,
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        "1",
        "--worker-class",
        "sync",
        "--timeout",
        "60",
    ]
    with open(log, "ab") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=out)
    wait_healthy_any(port, process, log)
    return port, process


def wait_healthy_any(port, process, log):
    """Ours answers /healthz; the wagtail-lms project only its pages: any answer will do."""
    try:
        wait_healthy(port, process, log, seconds=5)
    except RuntimeError:
        if process.poll() is not None:
            raise
        from harness import http_request

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                http_request(port, "GET", "/bench/floor/", timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        raise


def rss_mb(master):
    pids = worker_pids(master.pid)
    for line in Path(f"/proc/{pids[0]}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def check_page(port, path, session, expect):
    from harness import http_request

    headers = {"Cookie": f"sessionid={session}"} if session else {}
    status, _, body = http_request(port, "GET", path, headers=headers)
    text = body.decode(errors="replace")
    if status != 200 or expect not in text:
        raise SystemExit(f"{path}: HTTP {status}, {expect!r} not on the page")


class Server:
    """One platform's gunicorn worker, its page URLs and the learner's session."""

    def __init__(self, name, port, master, urls, temp):
        self.port, self.master, self.urls = port, master, urls
        self.sessions = temp / f"{name}.sessions"
        self.sessions.write_text(urls["session"] + "\n")

    def wrk(self, path, signed_in, args):
        sessions = str(self.sessions) if signed_in else None
        return wrk(self.port, path, args.connections, args.seconds, sessions)


def start_lms(built, temp):
    project, env, urls, gunicorn, version = built
    port, master = serve(gunicorn, "lmsite.wsgi", project, env, temp / "lms.log")
    check_page(port, urls["lesson"], urls["session"], LESSON_TEXT[:20])
    check_page(port, urls["course"], urls["session"], "负载测试课程")
    return Server("wagtail-lms", port, master, urls, temp), version


def start_ours(name, env, temp):
    urls = bench_line(manage(env, "shell", "-c", OURS_SETUP, capture=True).stdout)
    port, master = serve(VENV_BIN / "gunicorn", "cms.wsgi", ROOT, env, temp / f"{name}.log")
    server = Server(name, port, master, urls, temp)
    check_page(port, urls["lesson"], urls["session"], LESSON_TEXT[:20])
    check_page(port, urls["dashboard"], urls["session"], "负载测试课程")
    check_page(port, urls["attempt"], urls["session"], "国际单位制")
    return server


def measure_rounds(servers, lms, args, only):
    """Every page, page by page: the floor, then each platform, back to back; all of it
    ``args.rounds`` times. Each figure's ratio is to the floor measured just before it, so a
    machine that slows down or speeds up between pages (shared machines do, several-fold)
    moves both sides of a ratio together."""
    servers = {name: server for name, server in servers.items() if name in only}
    results = {name: {} for name in [*servers, "floor"]}
    for round_number in range(1, args.rounds + 1):
        print(f"round {round_number} of {args.rounds}", flush=True)
        for label, key, signed_in in PAGES:
            floor = lms.wrk("/bench/floor/", False, args)
            results["floor"].setdefault(label, []).append(floor)
            if "floor_rss" not in results:  # before any wagtail-lms page
                results["floor_rss"] = rss_mb(lms.master)
            for name, server in servers.items():
                if key not in server.urls:
                    continue
                result = server.wrk(server.urls[key], signed_in, args)
                result["ratio"] = result["rps"] / floor["rps"] if floor["rps"] else 0.0
                results[name].setdefault(label, []).append(result)
                print(
                    f"  {label}: floor {floor['rps']:.0f}, {name} {result['rps']:.0f} req/s "
                    f"({result['ratio']:.3f}), errors {result['error_count']}",
                    flush=True,
                )
    for name, server in servers.items():
        results[name]["rss"] = rss_mb(server.master)
    return results


def cell(runs):
    if not runs:
        return "—"
    rps = statistics.median(r["rps"] for r in runs)
    ratio = statistics.median(r["ratio"] for r in runs)
    errors = sum(r["error_count"] for r in runs)
    return f"{rps:,.0f} ({ratio:.3f}){f', {errors} errors' if errors else ''}"


def print_table(results, version, args):
    columns = [name for name in SETUPS[1:] if results.get(name)]
    heads = [
        f"wagtail-lms {version} (SQLite)" if name == "wagtail-lms" else TITLES[name]
        for name in columns
    ]
    floors = [r["rps"] for runs in results["floor"].values() for r in runs]
    print()
    print(
        f"floor (a fixed {FLOOR_BYTES // 1024} KB page through Wagtail's stock middleware): "
        f"median {statistics.median(floors):,.0f} requests/s (from {min(floors):,.0f} to "
        f"{max(floors):,.0f} over the run), worker {results['floor_rss']:.0f} MB"
    )
    print(f"| page | {' | '.join(heads)} |")
    print(f"| --- | {' | '.join('---' for _ in heads)} |")
    for label, _key, _signed_in in PAGES:
        print(f"| {label} | {' | '.join(cell(results[n].get(label)) for n in columns)} |")
    memory = " | ".join(f"{results[name]['rss']:.0f} MB" for name in columns)
    print(f"| worker memory after load | {memory} |")
    print()
    print(
        f"Median of {args.rounds} rounds: requests/s (ratio to the floor measured just before "
        f"it); wrk 1 thread, {args.connections} connections, {args.seconds} s per page and "
        "round after 3 s of warm-up; one gunicorn sync worker each"
    )
    print(f"machine: {machine()}")
    print(f"command: {command_line()}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="per page and round (10)")
    parser.add_argument("--rounds", type=int, default=3, help="times every page is measured")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument(
        "--only",
        default=",".join(SETUPS),
        help=f"comma-separated, of {', '.join(SETUPS)} (the floor is always measured)",
    )
    parser.add_argument(
        "--sqlite-database",
        help="start ours on SQLite from a copy of this database made by `bootstrap --demo` "
        "instead of bootstrapping one (the 20-lesson course is still imported into the copy)",
    )
    args = parser.parse_args()
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(only) - set(SETUPS)
    if unknown:
        parser.error(f"unknown set-up(s): {', '.join(sorted(unknown))}")
    temp = Path(tempfile.mkdtemp(prefix="qa-peers-"))
    print(f"working in {temp}", flush=True)
    package = write_package(temp)
    setups = {
        "sqlite": (f"sqlite:///{temp / 'ours.sqlite3'}", ""),
        "sqlite-redis": (f"sqlite:///{temp / 'ours.sqlite3'}", REDIS_SERVER),
        "postgres-redis": (f"{PG_SERVER}/{PG_DATABASE}", REDIS_SERVER),
    }
    envs = {name: ours_env(temp, name, *setups[name]) for name in setups if name in only}
    servers = {}
    try:
        # Everything is built first, side by side (nothing is measured while building).
        with ThreadPoolExecutor(max_workers=3) as pool:
            jobs = []
            if "sqlite" in envs or "sqlite-redis" in envs:
                env = envs.get("sqlite") or envs["sqlite-redis"]
                jobs.append(pool.submit(prepare_sqlite, env, package, temp, args.sqlite_database))
            if "postgres-redis" in envs:
                jobs.append(pool.submit(prepare_postgres, envs["postgres-redis"], package))
            print("building the wagtail-lms project (its own venv)...", flush=True)
            built = pool.submit(build_lms, temp)
            for job in jobs:
                job.result()
            built = built.result()
        if envs:
            manage(next(iter(envs.values())), "collectstatic", "--noinput", "-v0")
        # All of them serve at once, each idle except while measured, so that each page can
        # be measured on one platform after another.
        lms, version = start_lms(built, temp)
        servers["wagtail-lms"] = lms
        for name, env in envs.items():
            servers[name] = start_ours(name, env, temp)
        results = measure_rounds(servers, lms, args, only)
    finally:
        for server in servers.values():
            stop(server.master)
        if "postgres-redis" in envs:
            drop_database(PG_DATABASE)
        client = redis.Redis.from_url(REDIS_SERVER)
        keys = list(client.scan_iter(match=f"qa-peers-{os.getpid()}:*"))
        if keys:
            client.delete(*keys)
    print_table(results, version, args)
    print(f"(logs and databases left in {temp})")


if __name__ == "__main__":
    main()
