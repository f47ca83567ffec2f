"""Quiz under load: simulated learners take a quiz at once against gunicorn and PostgreSQL.

Run it from the repository root (PostgreSQL on 127.0.0.1:5432, user postgres, trust auth;
Redis on 127.0.0.1:6379):

    .venv/bin/python bench/quiz_load.py [--learners 200] [--questions 20] [--workers N]
        [--conn-max-age SECONDS]   # default: what cms/settings/production.py sets

What one run does, by itself:

1. Creates a fresh PostgreSQL database (``qa_bench_quiz``, dropped first if it exists; a run
   refuses to start while another is connected to it), runs ``manage.py bootstrap`` and
   ``collectstatic`` (into a temporary folder) against it, imports one course package whose
   quiz has ``--questions`` questions (true/false and single choice alternating, choices
   shuffled per attempt, no time limit, unlimited attempts), creates the learner accounts
   (unusable passwords: nothing is hashed), enrols them and signs each one in by writing a
   session with Django's SessionStore.
2. Starts ``.venv/bin/gunicorn cms.wsgi`` with the production settings (only STATIC_ROOT
   moved to the temporary folder), sync workers (default 2 x cores + 1, gunicorn's own
   advice), Redis as the cache, on a free port of 127.0.0.1, and waits for ``/healthz``.
3. Runs one thread per learner in this process (standard library ``http.client``, a new
   connection per request as gunicorn's sync workers close each one). Each learner opens
   the quiz page (for its CSRF cookie), then all wait at a barrier and, released together,
   do what a browser does: POST start (302), GET the attempt page, POST each answer as JSON
   the moment the previous save returned (no think time: this measures capacity, not a
   realistic pace), POST the form to submit (302) and GET the result page.
4. Prints one table: saves, errors (an unexpected status or no answer), answers saved per
   second over the save phase (first save sent to last save answered, all learners), and
   client-side latencies in ms (they include connecting and waiting in gunicorn's queue);
   then the CPU used by gunicorn, PostgreSQL, this driver and the rest of the machine (other
   people's work on a shared machine shows there), what PostgreSQL's sessions of the
   benchmark database were doing (sampled every 0.1 s), the machine and the command.
   Checks in the database that every learner has one finished attempt with every question
   answered and a score. Exits 1 if any request failed or the check did not hold.
5. Stops gunicorn, drops the database, deletes its cache keys and the temporary folder,
   also when something fails. Only loopback traffic; every request times out after 60 s.
"""

import argparse
import http.client
import json
import os
import platform
import random
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import psycopg
import redis
import yaml
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
REDIS_SERVER = "redis://127.0.0.1:6379/0"
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 60
COURSE_SLUG = "quiz-load"
SETTINGS_MODULE = "qa_bench_quiz_settings"


# --- Preparing the database -------------------------------------------------------------


def recreate_database(name):
    """Drop a leftover database and create it afresh; refuse if a run is still using it."""
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        try:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        except psycopg.errors.ObjectInUse:
            raise SystemExit(
                f"database {name} is in use, probably by another run of this benchmark: "
                "wait for it (two runs would also measure each other) or pass --database"
            ) from None
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(name):
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def quiz_gift(questions):
    """Odd questions true/false, even ones single choice with four options."""
    lines = []
    for n in range(1, questions + 1):
        if n % 2:
            lines.append(f"::q{n:02d}:: 第{n}题：计量器具应按规定周期进行检定或校准。 {{T}}")
        else:
            lines.append(
                f"::q{n:02d}:: 第{n}题：质量的国际单位制基本单位是哪一个？ {{=千克 ~克 ~吨 ~斤}}"
            )
    return "\n\n".join(lines) + "\n"


def write_course_package(folder, questions):
    package = {
        "format": "course-package/1",
        "slug": COURSE_SLUG,
        "title": "负载测试课程",
        "summary": "用于测验负载测试的课程。",
        "language": "zh-hans",
        "audiences": ["frontline"],
        "subjects": ["metrology"],
        "grade_band": None,
        "hours": 1,
        "certificate": False,
        "units": [
            {
                "lesson": "intro",
                "title": "第1课：计量入门",
                "minutes": 10,
                "body": "## 计量\n入门。\n",
            },
            {
                "quiz": "final",
                "title": "结业测验",
                "pass_mark": 60,
                "shuffle": True,
                "review": "after_submit",
                "gift": quiz_gift(questions),
            },
        ],
    }
    path = Path(folder) / f"{COURSE_SLUG}.yaml"
    path.write_text(yaml.safe_dump(package, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def manage(env, *args):
    subprocess.run([VENV_BIN / "python", "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_learners(package_path, learners):
    """Course, accounts, enrolments and signed-in sessions (Django set up in this process)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from courses import services
    from courses.models import CoursePage, QuizPage
    from courses.package.services import import_packages

    import_packages([package_path])
    course = CoursePage.objects.get(slug=COURSE_SLUG)
    quiz = QuizPage.objects.child_of(course).get()
    users = User.objects.bulk_create(
        User(
            username=f"bench{n:04d}",
            email=f"bench{n:04d}@example.com",
            real_name="测试学员",
            audience="frontline",
            district="310115",
            password=make_password(None),  # unusable: no hashing, sessions are written directly
        )
        for n in range(learners)
    )
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    session_keys = []
    for user in users:
        services.enrol(user, course)
        store = store_class()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        session_keys.append(store.session_key)
    return quiz.pk, quiz.url, session_keys


def check_attempts(quiz_id, learners, questions):
    """Problems found in the stored attempts: each learner one finished, fully answered one."""
    from django.db.models import Count, Q

    from courses.models import AttemptStatus, QuizAttempt

    rows = QuizAttempt.objects.filter(quiz_id=quiz_id).annotate(
        answered=Count("responses", filter=Q(responses__answer__isnull=False)),
    )
    problems = []
    users = set()
    for attempt in rows:
        users.add(attempt.user_id)
        if attempt.status != AttemptStatus.FINISHED or attempt.score is None:
            problems.append(f"attempt {attempt.pk}: status {attempt.status}, score {attempt.score}")
        elif attempt.answered != questions:
            problems.append(f"attempt {attempt.pk}: {attempt.answered} answers stored")
    if len(rows) != learners or len(users) != learners:
        problems.append(f"{len(rows)} attempts by {len(users)} learners, expected {learners}")
    return problems


# --- The server ---------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(env, port, workers, log_path):
    command = [
        str(VENV_BIN / "gunicorn"),
        "cms.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "60",
        "--graceful-timeout",
        "10",
    ]
    with open(log_path, "wb") as log:  # the child keeps its own descriptor
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
        try:
            status, _, _ = http_request(port, "GET", "/healthz", timeout=2)
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def stop_gunicorn(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- The learners -------------------------------------------------------------------------

FIELDSET = re.compile(
    r'<fieldset class="question card" data-key="([^"]+)" data-type="([^"]+)">(.*?)</fieldset>',
    re.S,
)
RADIO = re.compile(r'type="radio" name="q-[^"]+" value="([^"]+)"')
VERSION = re.compile(r'name="v-[^"]+" value="(\d+)"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def http_request(port, method, path, body=None, headers=None, timeout=REQUEST_TIMEOUT):
    """(status, headers, body bytes); a new connection each time."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


class Learner(threading.Thread):
    """One browser: cookies by hand (the production cookies are Secure, we speak http)."""

    def __init__(self, number, port, session_key, quiz_id, quiz_url, barrier, results):
        super().__init__(daemon=True)
        self.port, self.quiz_id, self.quiz_url = port, quiz_id, quiz_url
        self.barrier, self.results = barrier, results
        self.rng = random.Random(number)
        self.cookies = {"sessionid": session_key}

    def call(self, kind, method, path, body=None, content_type=None, csrf=None, expect=200):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        if csrf:
            headers["X-CSRFToken"] = csrf
        if self.results.stopped.is_set():
            return None
        start = time.perf_counter()
        try:
            status, response_headers, content = http_request(self.port, method, path, body, headers)
        except OSError as exc:
            self.results.error(kind, f"{type(exc).__name__}: {exc}")
            return None
        end = time.perf_counter()
        for header in response_headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        if status != expect:
            self.results.error(kind, f"{method} {path}: {status} {content[:120]!r}")
            return None
        self.results.timing(kind, start, end)
        return response_headers, content

    def run(self):
        try:
            self.take_quiz()
        except Exception as exc:  # counted: the run then fails
            self.results.error("learner", f"{type(exc).__name__}: {exc}")
            self.barrier.abort()  # a learner that cannot start must not leave the rest waiting

    def take_quiz(self):
        page = self.call("quiz page", "GET", self.quiz_url)
        token = CSRF_FIELD.search(page[1].decode()).group(1) if page else None
        self.barrier.wait()
        if token is None:
            return
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token})
        started = self.call(
            "start quiz",
            "POST",
            f"/learn/quizzes/{self.quiz_id}/start/",
            form,
            "application/x-www-form-urlencoded",
            expect=302,
        )
        if not started:
            return
        attempt_url = started[0]["Location"]
        page = self.call("attempt page", "GET", attempt_url)
        if not page:
            return
        html = page[1].decode()
        token = CSRF_FIELD.search(html).group(1)
        answers, versions = {}, {}
        for key, qtype, inner in FIELDSET.findall(html):
            versions[key] = int(VERSION.search(inner).group(1))
            value = self.rng.choice(RADIO.findall(inner))
            answer = int(value) if qtype == "single_choice" else value == "true"
            body = json.dumps({"key": key, "answer": answer, "version": versions[key]})
            saved = self.call(
                "save answer",
                "POST",
                f"{attempt_url}answer/",
                body,
                "application/json",
                csrf=token,
            )
            if saved:
                versions[key] = json.loads(saved[1])["version"]
                answers[key] = value
        # The form as the browser posts it: every answer and the versions the page now holds.
        fields = {"csrfmiddlewaretoken": token}
        for key, version in versions.items():
            fields[f"v-{key}"] = version
            if key in answers:
                fields[f"q-{key}"] = answers[key]
        submitted = self.call(
            "submit",
            "POST",
            f"{attempt_url}submit/",
            urllib.parse.urlencode(fields),
            "application/x-www-form-urlencoded",
            expect=302,
        )
        if submitted:
            self.call("result page", "GET", submitted[0]["Location"])


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = {}  # kind -> [(start, end)]
        self.errors = []
        self.stopped = threading.Event()  # set when the run is over: send nothing more

    def timing(self, kind, start, end):
        with self.lock:
            self.times.setdefault(kind, []).append((start, end))

    def error(self, kind, message):
        with self.lock:
            self.errors.append((kind, message))


# --- Measuring ----------------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def proc_stat(pid):
    """(ppid, own CPU s, CPU s of reaped children) from /proc, or None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rfind(")") + 2 :].split()
    own = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    reaped = (int(fields[13]) + int(fields[14])) / CLOCK_TICKS
    return int(fields[1]), own, reaped


def tree_cpu(root_pid):
    """CPU seconds of a process, its reaped children and its live children."""
    root = proc_stat(root_pid)
    if root is None:
        return 0.0
    total = root[1] + root[2]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = proc_stat(entry.name)
            if stat and stat[0] == root_pid:
                total += stat[1]
    return total


def system_busy():
    """(busy, total) CPU seconds of the machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / CLOCK_TICKS, sum(values) / CLOCK_TICKS


LITERALS = re.compile(r"'[^']*'|\b\d+\b")


class ActivitySampler(threading.Thread):
    """What PostgreSQL's sessions of the benchmark database are doing, every 0.1 s."""

    QUERY = (
        "SELECT state, coalesce(wait_event_type || ':' || wait_event, 'CPU'), query "
        "FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
    )

    def __init__(self, database):
        super().__init__(daemon=True)
        self.conn = psycopg.connect(f"{PG_SERVER}/{database}", autocommit=True)
        self.database = database
        self.stop = threading.Event()
        self.samples = 0
        self.counts = {}
        backend = proc_stat(self.conn.info.backend_pid)
        self.postmaster = backend[0] if backend else None

    def run(self):
        while not self.stop.wait(0.1):
            rows = self.conn.execute(self.QUERY, (self.database,)).fetchall()
            self.samples += 1
            for state, wait, query in rows:
                query = LITERALS.sub("?", " ".join(query.split()))[:70]
                label = state if state != "active" else f"active, {wait}: {query}"
                self.counts[label] = self.counts.get(label, 0) + 1

    def summary(self, top=4):
        lines = []
        for label, count in sorted(self.counts.items(), key=lambda item: -item[1])[:top]:
            lines.append(f"{count / max(self.samples, 1):.2f} {label}")
        return lines


def percentile(sorted_values, share):
    """Nearest rank."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-len(sorted_values) * share // 1))
    return sorted_values[int(rank) - 1]


def latencies(results, kind):
    return sorted((end - start) * 1000 for start, end in results.times.get(kind, []))


def machine():
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return f"{os.cpu_count()} cores ({model}), {mem_kb / 1024**2:.1f} GiB, {platform.platform()}"


def report(args, results, window, cpu, sampler, workers, load_before):
    from django.conf import settings

    conn_max_age = settings.DATABASES["default"]["CONN_MAX_AGE"]
    saves = latencies(results, "save answer")
    if saves:
        save_times = results.times["save answer"]
        first = min(start for start, _ in save_times)
        last = max(end for _, end in save_times)
        phase = last - first
    else:
        phase = float("nan")

    def p(kind, *shares):
        values = latencies(results, kind)
        return " / ".join(f"{percentile(values, s):.0f}" for s in shares) + f" ({len(values)})"

    rows = [
        ("learners", f"{args.learners}"),
        ("questions per learner", f"{args.questions}"),
        ("answer saves stored (200 OK)", f"{len(saves)} of {args.learners * args.questions}"),
        ("errors (unexpected status or no response)", f"{len(results.errors)}"),
        ("answers saved per second", f"{len(saves) / phase:.0f} (save phase {phase:.1f} s)"),
        ("save p50 / p95 / p99 / max ms", p("save answer", 0.5, 0.95, 0.99, 1.0)),
        ("quiz start p50 / p95 ms (POST, 302)", p("start quiz", 0.5, 0.95)),
        ("attempt page p50 / p95 ms (GET)", p("attempt page", 0.5, 0.95)),
        ("submit p50 / p95 ms (POST, 302)", p("submit", 0.5, 0.95)),
        ("result page p50 / p95 ms (GET)", p("result page", 0.5, 0.95)),
        ("barrier to last response", f"{window:.1f} s"),
        (
            "CPU in cores: gunicorn / PostgreSQL (all databases) / driver / rest",
            " / ".join(f"{c:.2f}" for c in [*cpu[:3], cpu[3] - sum(cpu[:3])])
            + f" (machine busy {cpu[3]:.2f} of {os.cpu_count()})",
        ),
    ]
    width = max(len(name) for name, _ in rows)
    print()
    print(f"| {'measure':{width}} | value |")
    print(f"| {'-' * width} | --- |")
    for name, value in rows:
        print(f"| {name:{width}} | {value} |")
    print()
    print(
        f"gunicorn: {workers} sync workers; CONN_MAX_AGE={conn_max_age}; "
        f"PostgreSQL sessions of the benchmark database, average count per 0.1 s sample:"
    )
    for line in sampler.summary():
        print(f"  {line}")
    print(f"machine: {machine()}; load average before the run {load_before}")
    print(f"command: {shlex.join([os.path.relpath(sys.executable), *sys.argv])}")
    for kind, message in results.errors[:10]:
        print(f"error: {kind}: {message}")


# --- The run ------------------------------------------------------------------------------


def run_learners(args, port, quiz_id, quiz_url, session_keys, gunicorn_pid, sampler):
    results = Results()
    barrier = threading.Barrier(args.learners + 1, timeout=300)
    learners = [
        Learner(n, port, key, quiz_id, quiz_url, barrier, results)
        for n, key in enumerate(session_keys)
    ]
    for learner in learners:
        learner.start()
    try:
        barrier.wait()  # every learner has its quiz page and CSRF token: go
    except threading.BrokenBarrierError:
        raise RuntimeError(f"the learners could not start: {results.errors[:3]}") from None
    released = time.perf_counter()
    cpu_before = (tree_cpu(gunicorn_pid), tree_cpu(sampler.postmaster or -1), time.process_time())
    busy_before = system_busy()
    sampler.start()
    deadline = time.monotonic() + args.timeout
    for learner in learners:
        learner.join(max(0.0, deadline - time.monotonic()))
    window = time.perf_counter() - released
    sampler.stop.set()
    cpu_after = (tree_cpu(gunicorn_pid), tree_cpu(sampler.postmaster or -1), time.process_time())
    busy_after = system_busy()
    stuck = sum(learner.is_alive() for learner in learners)
    if stuck:
        results.error("learner", f"{stuck} learners still running after {args.timeout} s")
        results.stopped.set()
    cpu = [(after - before) / window for before, after in zip(cpu_before, cpu_after, strict=True)]
    cpu.append((busy_after[0] - busy_before[0]) / window)
    return results, window, cpu


def main():
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2 * cores + 1)
    parser.add_argument(
        "--conn-max-age",
        type=int,
        help="DB_CONN_MAX_AGE for gunicorn (default: unset, as the production settings have it)",
    )
    parser.add_argument("--database", default="qa_bench_quiz")
    parser.add_argument("--timeout", type=int, default=600, help="seconds for the whole load")
    args = parser.parse_args()

    temp = Path(tempfile.mkdtemp(prefix="qa-bench-quiz-"))
    (temp / f"{SETTINGS_MODULE}.py").write_text(
        "from cms.settings.production import *  # noqa: F403\n"
        f"STATIC_ROOT = {str(temp / 'static')!r}\n"
    )
    cache_prefix = f"qa-bench-quiz-{os.getpid()}"
    env = {
        **os.environ,
        "PYTHONPATH": str(temp),
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"{PG_SERVER}/{args.database}",
        **({"DB_CONN_MAX_AGE": str(args.conn_max_age)} if args.conn_max_age is not None else {}),
        "REDIS_URL": REDIS_SERVER,
        "CACHE_KEY_PREFIX": cache_prefix,
    }
    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    gunicorn = None
    created = False
    failed = True
    try:
        print(f"preparing database {args.database} ...", flush=True)
        recreate_database(args.database)
        created = True
        manage(env, "bootstrap")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
        sys.path[:0] = [str(temp), str(ROOT)]
        import django

        django.setup()
        from django.db import connections

        package = write_course_package(temp, args.questions)
        quiz_id, quiz_url, session_keys = prepare_learners(package, args.learners)
        connections.close_all()

        port = free_port()
        print(f"starting gunicorn with {args.workers} workers on {HOST}:{port} ...", flush=True)
        gunicorn = start_gunicorn(env, port, args.workers, temp / "gunicorn.log")
        sampler = ActivitySampler(args.database)
        print(f"{args.learners} learners x {args.questions} questions ...", flush=True)
        results, window, cpu = run_learners(
            args, port, quiz_id, quiz_url, session_keys, gunicorn.pid, sampler
        )
        sampler.join(5)
        sampler.conn.close()
        stop_gunicorn(gunicorn)
        gunicorn_log = (temp / "gunicorn.log").read_text(errors="replace")
        gunicorn = None

        report(args, results, window, cpu, sampler, args.workers, load_before)
        problems = check_attempts(quiz_id, args.learners, args.questions)
        connections.close_all()
        for problem in problems[:10]:
            print(f"database check: {problem}")
        if not problems:
            print(
                f"database check: {args.learners} attempts finished, each with "
                f"{args.questions} answers stored and a score"
            )
        failed = bool(results.errors or problems)
        if failed and gunicorn_log.strip():
            print("gunicorn log (last lines):\n" + "\n".join(gunicorn_log.splitlines()[-20:]))
    finally:
        if gunicorn is not None:
            stop_gunicorn(gunicorn)
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if created:
            drop_database(args.database)
        client = redis.Redis.from_url(REDIS_SERVER)
        keys = list(client.scan_iter(match=f"{cache_prefix}:*"))
        if keys:
            client.delete(*keys)
        shutil.rmtree(temp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
