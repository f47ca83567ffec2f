"""What bench/faults.py checks after its run, and the table it prints: the database against
what each learner was told (no acknowledged answer lost, nothing stored twice, no attempt
half-submitted), then the measures of the run. See bench/faults.py for the whole procedure.
"""

import re
from collections import Counter
from decimal import Decimal

from harness import command_line, machine, print_measures

# --- Checking the database ----------------------------------------------------------------


def check(quiz_id, learners):
    """Problems in the database, against what each learner was told."""
    from django.db import connection
    from django.db.models import Count, Sum

    from courses.models import AttemptStatus, QuizAttempt, Response

    problems = {"lost": [], "twice": [], "half-submitted": [], "submit": []}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.attempt_id, r.question_key, COUNT(*) FROM courses_response r "
            "JOIN courses_quizattempt a ON a.id = r.attempt_id WHERE a.quiz_id = %s "
            "GROUP BY r.attempt_id, r.question_key HAVING COUNT(*) > 1",
            [quiz_id],
        )
        for attempt_id, key, count in cursor.fetchall():
            problems["twice"].append(f"attempt {attempt_id} {key}: {count} response rows")

    attempts = {a.pk: a for a in QuizAttempt.objects.filter(quiz_id=quiz_id)}
    per_user = Counter(a.user_id for a in attempts.values())
    for user_id, count in per_user.items():
        if count > 1:
            problems["twice"].append(f"user {user_id}: {count} attempts")
    responses = {}
    for row in Response.objects.filter(attempt__quiz_id=quiz_id).values(
        "attempt_id", "question_key", "answer", "credit", "version"
    ):
        responses.setdefault(row["attempt_id"], {})[row["question_key"]] = row
    totals = {
        row["attempt_id"]: row
        for row in Response.objects.filter(attempt__quiz_id=quiz_id)
        .values("attempt_id")
        .annotate(earned=Sum("credit"), questions=Count("pk"))
    }

    half = problems["half-submitted"]
    for attempt in attempts.values():
        rows = responses.get(attempt.pk, {})
        expected = len(attempt.snapshot["items"])
        if len(rows) != expected:
            half.append(f"attempt {attempt.pk}: {len(rows)} response rows of {expected}")
        for key, row in rows.items():
            if row["answer"] is not None and row["credit"] is None:
                half.append(f"attempt {attempt.pk} {key}: answer stored without a credit")
        if attempt.status == AttemptStatus.FINISHED:
            total = totals.get(attempt.pk)
            score = None
            if total and total["questions"]:
                score = (Decimal(total["earned"] or 0) * 100 / total["questions"]).quantize(
                    Decimal("0.01")
                )
            if attempt.submitted_at is None or attempt.score is None or attempt.passed is None:
                half.append(
                    f"attempt {attempt.pk}: finished, submitted_at {attempt.submitted_at}, "
                    f"score {attempt.score}, passed {attempt.passed}"
                )
            elif attempt.score != score:
                half.append(f"attempt {attempt.pk}: score {attempt.score}, credits give {score}")
        elif attempt.status == AttemptStatus.IN_PROGRESS:
            if attempt.submitted_at or attempt.score is not None or attempt.passed is not None:
                half.append(
                    f"attempt {attempt.pk}: in progress, submitted_at {attempt.submitted_at}, "
                    f"score {attempt.score}, passed {attempt.passed}"
                )
        else:
            half.append(f"attempt {attempt.pk}: status {attempt.status} (no essays in this quiz)")

    for learner in learners:
        if learner.attempt_id is None:
            continue
        attempt = attempts.get(learner.attempt_id)
        if learner.submitted and (attempt is None or attempt.status != AttemptStatus.FINISHED):
            problems["submit"].append(f"learner {learner.number}: submit got 302, not finished")
        if learner.submitted and per_user.get(attempt.user_id if attempt else None, 0) != 1:
            problems["submit"].append(f"learner {learner.number}: not exactly one attempt")
        rows = responses.get(learner.attempt_id, {})
        for key in {s[0] for s in learner.sends}:
            sends = [s for s in learner.sends if s[0] == key]
            told = [i for i, s in enumerate(sends) if s[2] != "unknown"]
            if not told:
                continue  # never acknowledged: nothing was promised
            last = told[-1]
            allowed = {sends[last][1]} | {s[1] for s in sends[last + 1 :]}
            row = rows.get(key)
            stored = None if row is None else row["answer"]
            stored = None if stored is None else str(stored).lower()
            if stored not in allowed:
                problems["lost"].append(
                    f"attempt {learner.attempt_id} {key}: stored {stored}, "
                    f"acknowledged {sends[last][1]} (version {sends[last][3]})"
                )
            elif row["version"] < sends[last][3]:
                problems["lost"].append(
                    f"attempt {learner.attempt_id} {key}: version {row['version']} is older "
                    f"than the acknowledged {sends[last][3]}"
                )
    return problems, attempts


# --- The report -----------------------------------------------------------------------------


EXCEPTION_LINE = re.compile(r"^([\w.]+(?:Error|Exception)): (.{0,100})", re.M)


def report(args, results, learners, faults, window, problems, attempts, workers_alive, log):
    log_exceptions = Counter(f"{name}: {message}" for name, message in EXCEPTION_LINE.findall(log))
    from courses.models import AttemptStatus

    acks = sum(s[2] == "ack" for learner in learners for s in learner.sends)
    seen = sum(s[2] == "seen" for learner in learners for s in learner.sends)
    by_kind = Counter()
    for (_kind, error), count in results.errors.items():
        by_kind[error] += count
    window_5xx = Counter()
    for at in results.server_errors:
        start, end = faults.pg_window or (float("inf"), float("inf"))
        window_5xx[
            "during" if start <= at <= end else "after" if end < at <= end + 5 else "other"
        ] += 1
    server_errors = " / ".join(str(window_5xx[k]) for k in ("during", "after", "other"))
    finished = sum(a.status == AttemptStatus.FINISHED for a in attempts.values())
    rows = [
        (
            "learners (started a quiz / submitted, 302)",
            f"{args.learners} "
            f"({sum(lr.attempt_id is not None for lr in learners)} / "
            f"{sum(lr.submitted for lr in learners)})",
        ),
        ("questions per learner", f"{args.questions}"),
        ("answer saves acknowledged (200)", f"{acks}"),
        ("saves found stored after a 409 stale (reply lost)", f"{seen} (409s: {results.stale})"),
        (
            "requests sent again after an error",
            ", ".join(f"{kind} {count}" for kind, count in sorted(results.retries.items())) or "0",
        ),
        (
            "errors seen by clients, by kind",
            ", ".join(f"{kind} {count}" for kind, count in by_kind.most_common()) or "0",
        ),
        ("5xx while PostgreSQL restarted / within 5 s after / at other times", server_errors),
        ("learners that gave up", f"{len(results.gave_up)}"),
        ("workers killed with SIGKILL (every s)", f"{faults.kills} ({args.kill_every})"),
        ("PostgreSQL restarts", f"{faults.pg_restarts}"),
        ("gunicorn workers alive at the end", f"{workers_alive} of {args.workers}"),
        ("first request to last response", f"{window:.0f} s"),
        ("attempts finished / in progress", f"{finished} / {len(attempts) - finished}"),
        ("acknowledged answers lost", f"{len(problems['lost'])}"),
        ("rows or attempts twice", f"{len(problems['twice'])}"),
        ("half-submitted attempts", f"{len(problems['half-submitted'])}"),
        ("302 submits without one finished attempt", f"{len(problems['submit'])}"),
    ]
    print_measures(rows)
    print(f"think time {args.think[0]:.1f}-{args.think[1]:.1f} s per answer")
    print(f"machine: {machine()}")
    print(f"command: {command_line()}")
    for kind, message in sorted(results.samples.items()):
        print(f"first {kind}: {message[:240]}")
    for name, count in log_exceptions.most_common(8):
        print(f"gunicorn log: {count} x {name}")
    for number, reason in results.gave_up[:10]:
        print(f"learner {number} gave up: {reason}")
    for name, found in problems.items():
        for problem in found[:10]:
            print(f"check ({name}): {problem}")
