"""Reliability under faults: learners answer a quiz while gunicorn workers are killed with
SIGKILL and PostgreSQL restarts; then the database must hold every acknowledged answer.

Run it from the repository root (PostgreSQL 15 on 127.0.0.1:5432 managed by pg_ctlcluster,
user postgres, trust auth; Redis on 127.0.0.1:6379; root, to restart PostgreSQL):

    .venv/bin/python bench/faults.py [--learners 200] [--questions 20] [--duration 180]
        [--think LOW-HIGH] [--kill-every 30] [--workers N] [--no-pg-restart]

PostgreSQL is restarted for real (``pg_ctlcluster --skip-systemctl-redirect 15 main
restart``): every other program using it on the machine loses its connections too.

What one run does, by itself:

1. Prepares the platform as bench/quiz_load.py does (fresh database ``qa_bench_faults``,
   bootstrap, one course whose quiz has ``--questions`` questions, signed-in learners) and
   starts gunicorn with the production settings (CONN_MAX_AGE 60, CONN_HEALTH_CHECKS).
2. Runs one thread per learner behaving like the browser with static/js/quiz.js: start the
   quiz, answer each question as a JSON save after a think time (uniform in --think, by
   default chosen so that a learner thinks for about --duration in all; waiting for the
   server comes on top), change its mind on about one answer in five (a second save of
   another value), submit the form, open the result; one learner in ten submits twice, like
   a double click. A save that gets no answer or a 5xx is sent again with backoff, as the
   page does; a 409 ``stale`` (an earlier try was stored but its reply lost) makes the
   learner reload the attempt page, read the stored answer and version, and save again if
   the stored answer is not its own. Start, submit and page loads are retried the same
   way; a learner gives up after 8 tries of one request.
3. Meanwhile a fault thread kills one random gunicorn worker with SIGKILL every
   --kill-every seconds (the master starts a new one) and, once, at a third of --duration,
   restarts PostgreSQL. Each fault is printed with its time.
4. Checks the database against what the learners were told (the ledger of every save that
   got a 2xx, or that a reload showed stored):
   - every acknowledged answer is stored: the stored answer of each question is the last
     acknowledged value, or a value the learner sent after it without hearing back (a later
     save may have landed), and its version is not older than the acknowledged one;
   - no response row twice for one (attempt, question), no learner with two attempts;
   - no half-submitted attempt: a finished one has submitted_at, a score, ``passed``, and
     the score is the one its stored credits give; an open one has no submitted_at, score or
     ``passed``; every attempt has one response row per question, and every stored answer a
     credit (answers are graded when saved);
   - every learner whose submit got its 302 has exactly one attempt, finished.
   Then prints a table (learners, saves acknowledged and retried, errors clients saw by
   kind, faults injected, workers alive at the end, the checks), the machine and the
   command. Exits 1 on any loss, duplicate or half-submitted attempt, on a learner that had
   to give up, or if the faults were not injected.
5. Stops gunicorn, drops the database, deletes its cache keys and the temporary folder.
"""

import argparse
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from http.cookies import SimpleCookie
from pathlib import Path

from faults_checks import check, report
from harness import HOST, Platform, http_request, worker_pids
from quiz_load import CSRF_FIELD, FIELDSET, RADIO, VERSION, prepare_learners, write_course_package

CHECKED = re.compile(r'type="radio" name="q-[^"]+" value="([^"]+)" checked')
TRIES = 8
REQUEST_TIMEOUT = 30


def pg_restart_command():
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"]


# --- What the learners saw ----------------------------------------------------------------


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.errors = Counter()  # (request kind, error kind) -> count
        self.samples = {}  # error kind -> first message
        self.retries = Counter()  # request kind -> requests sent again
        self.stale = 0
        self.gave_up = []  # (learner, what)
        self.server_errors = []  # monotonic times of 5xx answers
        self.begin = time.monotonic()

    def error(self, kind, error_kind, message):
        with self.lock:
            self.errors[(kind, error_kind)] += 1
            if error_kind.startswith("HTTP 5"):
                self.server_errors.append(time.monotonic())
            at = time.monotonic() - self.begin
            self.samples.setdefault(error_kind, f"at {at:.1f} s, {message}")

    def retry(self, kind):
        with self.lock:
            self.retries[kind] += 1


def error_kind(exc):
    # RemoteDisconnected is a ConnectionResetError: name it first, it is the usual one.
    if isinstance(exc, http.client.RemoteDisconnected):
        return "closed without a response"
    if isinstance(exc, ConnectionResetError):
        return "connection reset"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, TimeoutError):
        return "timeout"
    return type(exc).__name__


class GaveUp(Exception):
    pass


class Learner(threading.Thread):
    """One browser with quiz.js; cookies by hand (the production cookies are Secure)."""

    def __init__(self, number, port, session_key, quiz_id, quiz_url, think, results):
        super().__init__(daemon=True)
        self.number, self.port, self.quiz_id, self.quiz_url = number, port, quiz_id, quiz_url
        self.think, self.results = think, results
        self.rng = random.Random(number)
        self.cookies = {"sessionid": session_key}
        self.attempt_id = None
        self.submitted = False  # a submit got its 302
        self.sends = []  # per save: [key, answer, outcome, version]; outcome ack|seen|unknown
        self.versions, self.intended = {}, {}

    def request(self, kind, method, path, body=None, content_type=None, csrf=None):
        """(status, headers, body), or None after an error that a browser would retry."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        if csrf:
            headers["X-CSRFToken"] = csrf
        try:
            status, response_headers, content = http_request(
                self.port, method, path, body, headers, timeout=REQUEST_TIMEOUT
            )
        except (OSError, http.client.HTTPException) as exc:
            self.results.error(kind, error_kind(exc), f"{method} {path}: {exc!r}")
            return None
        for header in response_headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        if status >= 500:
            self.results.error(kind, f"HTTP {status}", f"{method} {path}: {content[:200]!r}")
            return None
        return status, response_headers, content

    def pause(self, attempt):
        time.sleep(min(1.5 * 2**attempt, 10) * self.rng.uniform(0.5, 1.5))

    def retried(self, kind, method, path, expect, **kwargs):
        """Send until the expected status comes back; GaveUp after TRIES."""
        for attempt in range(TRIES):
            if attempt:
                self.results.retry(kind)
                self.pause(attempt - 1)
            answer = self.request(kind, method, path, **kwargs)
            if answer is None:
                continue
            if answer[0] != expect:
                self.results.error(
                    kind, f"HTTP {answer[0]}", f"{method} {path}: {answer[2][:200]!r}"
                )
                raise GaveUp(f"{kind}: HTTP {answer[0]}")
            return answer
        raise GaveUp(f"{kind}: no answer after {TRIES} tries")

    def run(self):
        try:
            self.take_quiz()
        except GaveUp as exc:
            with self.results.lock:
                self.results.gave_up.append((self.number, str(exc)))
        except Exception as exc:  # counted: the run then fails
            with self.results.lock:
                self.results.gave_up.append((self.number, f"{type(exc).__name__}: {exc}"))

    def read_attempt(self):
        """The attempt page: CSRF token and, per question, (type, choices, stored, version)."""
        html = self.retried("attempt page", "GET", self.attempt_url, 200)[2].decode()
        questions = {}
        for key, qtype, inner in FIELDSET.findall(html):
            stored = CHECKED.search(inner)
            questions[key] = (
                qtype,
                RADIO.findall(inner),
                stored.group(1) if stored else None,
                int(VERSION.search(inner).group(1)),
            )
        return CSRF_FIELD.search(html).group(1), questions

    def take_quiz(self):
        time.sleep(self.rng.uniform(0, self.think[1]))  # learners arrive over a while
        page = self.retried("quiz page", "GET", self.quiz_url, 200)
        token = CSRF_FIELD.search(page[2].decode()).group(1)
        started = self.retried(
            "start quiz",
            "POST",
            f"/learn/quizzes/{self.quiz_id}/start/",
            302,
            body=urllib.parse.urlencode({"csrfmiddlewaretoken": token}),
            content_type="application/x-www-form-urlencoded",
        )
        self.attempt_url = started[1]["Location"]
        self.attempt_id = int(self.attempt_url.rstrip("/").rsplit("/", 1)[1])
        self.token, questions = self.read_attempt()
        for key, (qtype, values, _stored, version) in questions.items():
            self.versions[key] = version
            choices = [self.rng.choice(values)]
            if self.rng.random() < 0.2:
                choices.append(self.rng.choice([v for v in values if v != choices[0]]))
            for value in choices:
                time.sleep(self.rng.uniform(*self.think))
                self.intended[key] = value
                self.save(key, value, qtype)
        fields = {"csrfmiddlewaretoken": self.token}
        for key, version in self.versions.items():
            fields[f"v-{key}"] = version
            fields[f"q-{key}"] = self.intended[key]
        for key in self.versions:
            last = [s for s in self.sends if s[0] == key][-1:]
            if not last or last[0][2] == "unknown":
                # The form carries it: the submit may store it.
                self.sends.append([key, self.intended[key], "unknown", None])
        form = urllib.parse.urlencode(fields)
        for _ in range(2 if self.rng.random() < 0.1 else 1):
            submitted = self.retried(
                "submit",
                "POST",
                f"{self.attempt_url}submit/",
                302,
                body=form,
                content_type="application/x-www-form-urlencoded",
            )
            self.submitted = True
        self.retried("result page", "GET", submitted[1]["Location"], 200)

    def save(self, key, value, qtype):
        answer = int(value) if qtype == "single_choice" else value == "true"
        path = f"{self.attempt_url}answer/"
        for attempt in range(TRIES):
            if attempt:
                self.results.retry("save answer")
                self.pause(attempt - 1)
            body = json.dumps({"key": key, "answer": answer, "version": self.versions[key]})
            send = [key, value, "unknown", None]
            self.sends.append(send)
            result = self.request(
                "save answer", "POST", path, body, "application/json", csrf=self.token
            )
            if result is None:
                continue
            status, _headers, content = result
            if status == 200:
                send[2:] = ["ack", json.loads(content)["version"]]
                self.versions[key] = send[3]
                return
            error = json.loads(content).get("error") if status == 409 else None
            if error != "stale":
                self.results.error("save answer", f"HTTP {status}", f"{content[:200]!r}")
                raise GaveUp(f"save answer: HTTP {status} {error}")
            # An earlier try was stored but its answer lost, as the page says: reload.
            with self.results.lock:
                self.results.stale += 1
            self.token, questions = self.read_attempt()
            _qtype, _values, stored, version = questions[key]
            self.versions[key] = version
            if stored == value:
                self.sends.append([key, value, "seen", version])
                return
        raise GaveUp(f"save answer {key}: not saved after {TRIES} tries")


# --- Faults -------------------------------------------------------------------------------


class Faults(threading.Thread):
    def __init__(self, gunicorn_pid, kill_every, pg_restart_at, begin):
        super().__init__(daemon=True)
        self.gunicorn_pid, self.kill_every = gunicorn_pid, kill_every
        self.pg_restart_at, self.begin = pg_restart_at, begin
        self.stop = threading.Event()
        self.log = []  # (seconds, kind, detail)
        self.kills = 0
        self.pg_restarts = 0
        self.pg_window = None  # (start, end), monotonic
        self.rng = random.Random(0)

    def note(self, kind, detail):
        at = time.monotonic() - self.begin
        self.log.append((at, kind, detail))
        print(f"  {at:6.1f} s  {kind}: {detail}", flush=True)

    def run(self):
        next_kill = self.kill_every
        restart_at = self.pg_restart_at
        while not self.stop.is_set():
            now = time.monotonic() - self.begin
            if restart_at is not None and now >= restart_at:
                restart_at = None
                self.restart_postgres()
            elif now >= next_kill:
                # Kills missed while PostgreSQL restarted are skipped, not made up at once.
                while next_kill <= now:
                    next_kill += self.kill_every
                self.kill_worker()
            self.stop.wait(0.2)

    def kill_worker(self):
        pids = worker_pids(self.gunicorn_pid)
        if not pids:
            self.note("kill", "no gunicorn worker found")
            return
        pid = self.rng.choice(pids)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            self.note("kill", f"worker {pid} was already gone")
            return
        self.kills += 1
        self.note("SIGKILL", f"gunicorn worker {pid} (of {len(pids)})")

    def restart_postgres(self):
        start = time.monotonic()
        done = subprocess.run(pg_restart_command(), capture_output=True, text=True, timeout=120)
        took = time.monotonic() - start
        self.pg_window = (start, start + took)
        if done.returncode:
            self.note("PostgreSQL restart FAILED", (done.stderr or done.stdout).strip()[:200])
            return
        self.pg_restarts += 1
        self.note("PostgreSQL restarted", f"took {took:.1f} s")


# --- The run ------------------------------------------------------------------------------


def think_range(text, duration, questions):
    if text:
        low, high = (float(v) for v in text.split("-"))
        return low, high
    # About 1.2 saves per question plus the start and submit fill the duration.
    mean = duration / (questions * 1.2 + 2)
    return mean * 0.5, mean * 1.5


def main():
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument(
        "--duration", type=float, default=180, help="seconds a learner thinks in all"
    )
    parser.add_argument("--think", help="LOW-HIGH seconds before each answer (overrides)")
    parser.add_argument("--kill-every", type=float, default=30)
    parser.add_argument("--no-pg-restart", action="store_true")
    parser.add_argument("--workers", type=int, default=2 * cores + 1)
    parser.add_argument("--database", default="qa_bench_faults")
    parser.add_argument("--timeout", type=int, default=900, help="seconds for the whole run")
    parser.add_argument("--keep-log", help="copy gunicorn's log here before cleaning up")
    args = parser.parse_args()
    args.think = think_range(args.think, args.duration, args.questions)

    with Platform(args.database) as bench:
        print(f"preparing database {args.database} ...", flush=True)
        bench.prepare()
        bench.setup_django()
        from django.db import connections

        package = write_course_package(bench.temp, args.questions)
        quiz_id, quiz_url, session_keys = prepare_learners(package, args.learners)
        connections.close_all()

        gunicorn = bench.start_gunicorn(args.workers)
        print(f"gunicorn with {args.workers} workers on {HOST}:{bench.port}", flush=True)
        print(f"{args.learners} learners x {args.questions} questions; faults:", flush=True)
        results = Results()
        learners = [
            Learner(n, bench.port, key, quiz_id, quiz_url, args.think, results)
            for n, key in enumerate(session_keys)
        ]
        begin = results.begin = time.monotonic()
        faults = Faults(
            gunicorn.pid,
            args.kill_every,
            None if args.no_pg_restart else args.duration / 3,
            begin,
        )
        faults.start()
        for learner in learners:
            learner.start()
        deadline = begin + args.timeout
        for learner in learners:
            learner.join(max(0.0, deadline - time.monotonic()))
        window = time.monotonic() - begin
        faults.stop.set()
        faults.join(130)
        stuck = [lr.number for lr in learners if lr.is_alive()]
        for number in stuck:
            results.gave_up.append((number, f"still running after {args.timeout} s"))
        time.sleep(2)  # the master respawns the last killed worker
        workers_alive = len(worker_pids(gunicorn.pid)) if gunicorn.poll() is None else 0

        connections.close_all()  # ours died with the PostgreSQL restart
        problems, attempts = check(quiz_id, learners)
        connections.close_all()
        log = bench.log("gunicorn").read_text(errors="replace")
        if args.keep_log:
            Path(args.keep_log).write_text(log)
        report(args, results, learners, faults, window, problems, attempts, workers_alive, log)
        failed = any(problems.values()) or results.gave_up
        if not faults.kills or (not args.no_pg_restart and not faults.pg_restarts):
            print("FAILED: the faults were not all injected")
            failed = True
        if workers_alive != args.workers:
            print("FAILED: gunicorn did not get its workers back")
            failed = True
        print("FAILED" if failed else "OK: nothing acknowledged was lost, nothing stored twice")
        if failed:
            print("gunicorn log (last lines):\n" + bench.log_tail("gunicorn"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
