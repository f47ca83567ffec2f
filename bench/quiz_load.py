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
import json
import os
import random
import re
import sys
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import yaml
from harness import (
    HOST,
    Platform,
    http_request,
    signed_in_sessions,
    system_busy,
    tree_cpu,
)
from quiz_load_report import ActivitySampler, report

COURSE_SLUG = "quiz-load"
CERTIFICATE_COURSE_SLUG = "quiz-load-certificate"


# --- Preparing the database -------------------------------------------------------------


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


def write_course_package(folder, questions, certificate=False):
    """The benchmark course. With ``certificate``, an exam that completes its course: the quiz
    is the only unit, passing earns the certificate, and the pass mark is low enough (10) that
    nearly every learner answering at random passes, so nearly every submission queues one."""
    final = {
        "quiz": "final",
        "title": "结业测验",
        "pass_mark": 10 if certificate else 60,
        "shuffle": True,
        "review": "after_submit",
        "gift": quiz_gift(questions),
    }
    lesson = {
        "lesson": "intro",
        "title": "第1课：计量入门",
        "minutes": 10,
        "body": "## 计量\n入门。\n",
    }
    slug = CERTIFICATE_COURSE_SLUG if certificate else COURSE_SLUG
    package = {
        "format": "course-package/1",
        "slug": slug,
        "title": "负载测试课程（结业证书）" if certificate else "负载测试课程",
        "summary": "用于测验负载测试的课程。",
        "language": "zh-hans",
        "audiences": ["frontline"],
        "subjects": ["metrology"],
        "grade_band": None,
        "hours": 1,
        "certificate": certificate,
        "units": [final] if certificate else [lesson, final],
    }
    path = Path(folder) / f"{slug}.yaml"
    path.write_text(yaml.safe_dump(package, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def prepare_learners(package_path, learners, prefix="bench"):
    """Course, accounts, enrolments and signed-in sessions (Django set up in this process)."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from courses import services
    from courses.models import CoursePage, QuizPage
    from courses.package.services import import_packages

    slug = Path(package_path).stem
    if not CoursePage.objects.filter(slug=slug).exists():
        import_packages([package_path])
    course = CoursePage.objects.get(slug=slug)
    quiz = QuizPage.objects.child_of(course).get()
    users = User.objects.bulk_create(
        User(
            username=f"{prefix}{n:04d}",
            email=f"{prefix}{n:04d}@example.com",
            real_name="测试学员",
            audience="frontline",
            district="310115",
            password=make_password(None),  # unusable: no hashing, sessions are written directly
        )
        for n in range(learners)
    )
    for user in users:
        services.enrol(user, course)
    return quiz.pk, quiz.url, signed_in_sessions(users)


def check_attempts(quiz_id, learners, questions, prefix="bench"):
    """Problems found in the stored attempts: each learner one finished, fully answered one."""
    from django.db.models import Count, Q

    from courses.models import AttemptStatus, QuizAttempt

    rows = QuizAttempt.objects.filter(quiz_id=quiz_id, user__username__startswith=prefix).annotate(
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


def check_certificates(quiz_id, prefix="bench"):
    """(passed attempts, certificates) of the learners, and problems: each learner who
    passed holds exactly one certificate in force for the course, and nobody else one."""
    from certificates.models import Certificate
    from courses.models import CoursePage, QuizAttempt, QuizPage

    course = CoursePage.objects.parent_of(QuizPage.objects.get(pk=quiz_id)).get()
    passed = set(
        QuizAttempt.objects.filter(
            quiz_id=quiz_id, user__username__startswith=prefix, passed=True
        ).values_list("user_id", flat=True)
    )
    held = list(
        Certificate.objects.current()
        .filter(course=course, user__username__startswith=prefix)
        .values_list("user_id", flat=True)
    )
    problems = []
    if len(held) != len(set(held)):
        problems.append(f"{len(held) - len(set(held))} learners hold two certificates")
    if set(held) != passed:
        problems.append(
            f"{len(passed - set(held))} passed without a certificate, "
            f"{len(set(held) - passed)} hold one without passing"
        )
    return len(passed), len(held), problems


# --- The learners -------------------------------------------------------------------------

FIELDSET = re.compile(
    r'<fieldset class="question card" data-key="([^"]+)" data-type="([^"]+)">(.*?)</fieldset>',
    re.S,
)
RADIO = re.compile(r'type="radio" name="q-[^"]+" value="([^"]+)"')
VERSION = re.compile(r'name="v-[^"]+" value="(\d+)"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Learner(threading.Thread):
    """One browser: cookies by hand (the production cookies are Secure, we speak http)."""

    def __init__(
        self, number, port, session_key, quiz_id, quiz_url, barrier, results, think=(0, 0)
    ):
        super().__init__(daemon=True)
        self.port, self.quiz_id, self.quiz_url = port, quiz_id, quiz_url
        self.think = think  # seconds spent reading each question, drawn uniformly
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
            if self.think[1]:
                time.sleep(self.rng.uniform(*self.think))
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

    env = {"DB_CONN_MAX_AGE": str(args.conn_max_age)} if args.conn_max_age is not None else {}
    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    with Platform(args.database, env=env) as bench:
        print(f"preparing database {args.database} ...", flush=True)
        bench.prepare()
        bench.setup_django()
        from django.db import connections

        package = write_course_package(bench.temp, args.questions)
        quiz_id, quiz_url, session_keys = prepare_learners(package, args.learners)
        connections.close_all()

        gunicorn = bench.start_gunicorn(args.workers)
        print(f"gunicorn with {args.workers} workers on {HOST}:{bench.port} ...", flush=True)
        sampler = ActivitySampler(args.database)
        print(f"{args.learners} learners x {args.questions} questions ...", flush=True)
        results, window, cpu = run_learners(
            args, bench.port, quiz_id, quiz_url, session_keys, gunicorn.pid, sampler
        )
        sampler.join(5)
        sampler.conn.close()

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
        if failed:
            print("gunicorn log (last lines):\n" + bench.log_tail("gunicorn"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
