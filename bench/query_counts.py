"""Queries and time of every learner page on a large database, against the same pages on XS.

Run against the city-sized data set (manage.py bootstrap --demo, then generate_city_data),
with an XS database made the same way at the smallest scale for comparison:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qa_city .venv/bin/python \\
        bench/query_counts.py --xs-database postgres://postgres@127.0.0.1:5432/qa_xs

The XS database is measured first, by this script in a child process. On each database it
picks four learners by the same rules (the most enrolments, the median, a pupil, a chief
quality officer), gives the pupil a class and the officer staff assignments, requests every
learner page with Django's test client and rolls everything back. A page whose count on the
large database differs from XS for a learner of the same shape (what the learner has: a
finished attempt, a certificate, a class, staff assignments) makes the exit status 1.
"""

import argparse
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
os.environ.setdefault("DEBUG", "0")

import django

django.setup()

from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import OrganisationKind, Role, User  # noqa: E402
from certificates.models import Certificate  # noqa: E402
from classrooms.models import Assignment, AssignmentAudience, ClassPupil, Classroom  # noqa: E402
from courses.models import (  # noqa: E402
    AttemptStatus,
    CoursePage,
    Enrolment,
    LessonPage,
    QuizAttempt,
    QuizPage,
)
from courses.questions.data import Question, QuestionType  # noqa: E402
from courses.quiz import attempts  # noqa: E402

SAMPLE_ANSWERS = {
    QuestionType.SINGLE_CHOICE: 0,
    QuestionType.MULTIPLE_RESPONSE: [0],
    QuestionType.TRUE_FALSE: True,
    QuestionType.SHORT_ANSWER: "1",
    QuestionType.NUMERICAL: 1,
    QuestionType.ESSAY: "答",
}


def learners():
    """The four learners, picked by the same rules on every database."""
    people = (
        User.objects.filter(is_staff=False, is_superuser=False)
        .annotate(courses=Count("enrolments"))
        .filter(courses__gt=0)
    )
    ordered = list(people.order_by("courses", "pk").values_list("pk", flat=True))
    pupils = people.filter(
        memberships__role=Role.LEARNER, memberships__organisation__kind=OrganisationKind.SCHOOL
    )
    officers = people.filter(memberships__chief_quality_officer=True)
    if not officers.exists():
        # A small database may have none: the staff learner with most courses becomes one
        # (rolled back with everything else).
        staff = people.filter(memberships__organisation__kind=OrganisationKind.ENTERPRISE)
        first = staff.order_by("-courses", "pk").first()
        first.memberships.filter(organisation__kind=OrganisationKind.ENTERPRISE).update(
            chief_quality_officer=True
        )
    return {
        "most enrolments": people.order_by("-courses", "pk").first(),
        "median": User.objects.get(pk=ordered[len(ordered) // 2]),
        "pupil in a class": pupils.order_by("-courses", "pk").first(),
        "CQO": officers.order_by("-courses", "pk").first(),
    }


def give_class(pupil, course, quiz):
    """A class of the pupil's whole school year (every learner of the school), with the
    course and its quiz set."""
    school = pupil.memberships.get(organisation__kind=OrganisationKind.SCHOOL).organisation
    classroom = Classroom.objects.create(
        school=school, name="基准测试班", grade_band="junior", grade=2, school_year=2026
    )
    ClassPupil.objects.bulk_create(
        ClassPupil(classroom=classroom, user_id=m.user_id)
        for m in school.memberships.filter(role=Role.LEARNER)
    )
    now = timezone.now()
    for unit in (None, quiz):
        Assignment.objects.create(
            organisation=school,
            classroom=classroom,
            course=course,
            quiz=unit,
            audience=AssignmentAudience.CLASS,
            opens_at=now - timedelta(days=3),
            due_at=now + timedelta(days=3),
        )
    return classroom


def give_staff_assignments(officer, course, quiz):
    """The course and its quiz set for everyone in the officer's enterprise."""
    membership = officer.memberships.filter(chief_quality_officer=True).first()
    people = list(membership.organisation.memberships.values_list("user_id", flat=True))
    now = timezone.now()
    for unit in (None, quiz):
        assignment = Assignment.objects.create(
            organisation=membership.organisation,
            course=course,
            quiz=unit,
            audience=AssignmentAudience.LEARNERS,
            opens_at=now - timedelta(days=3),
            due_at=now + timedelta(days=3),
        )
        assignment.recipients.set(people)


def pages(user, course, quiz, attempt, finished, certificate, classroom):
    """(page, method, url, payload) for one learner; the submission near the end."""
    lesson = LessonPage.objects.child_of(course).live().order_by("path").first()
    rows = [
        ("dashboard", "get", "/dashboard/", None),
        ("ledger", "get", "/dashboard/ledger/", None),
        ("catalog", "get", "/courses/", None),
        ("catalog filtered", "get", "/courses/?audience=frontline&subject=metrology", None),
        ("course", "get", course.url, None),
        ("lesson", "get", lesson.url, None),
        ("quiz", "get", quiz.url, None),
        ("attempt", "get", f"/learn/attempts/{attempt.pk}/", None),
        ("answer (JSON)", "json", f"/learn/attempts/{attempt.pk}/answer/", answer_for(attempt)),
    ]
    if finished is not None:
        rows.append(("result", "get", f"/learn/attempts/{finished.pk}/", None))
    if certificate is not None:
        rows.append(("certificate PDF", "get", f"/certificates/{certificate.pk}/pdf/", None))
        rows.append(
            ("certificate verify", "get", f"/certificates/verify/{certificate.code}/", None)
        )
    if ClassPupil.objects.filter(classroom=classroom, user=user).exists():
        rows.append(("class", "get", f"/classes/{classroom.pk}/", None))
    rows += [
        ("class join form", "get", "/classes/join/", None),
        ("class join link", "get", f"/classes/join/{classroom.join_code}/", None),
        ("profile", "get", "/accounts/profile/", None),
        ("submit", "submit", f"/learn/attempts/{attempt.pk}/submit/", {}),
        ("submitted result", "get", f"/learn/attempts/{attempt.pk}/", None),
    ]
    return rows


def answer_for(attempt):
    for item in attempt.snapshot["items"]:
        qtype = Question.from_dict(item["question"]).qtype
        if qtype in SAMPLE_ANSWERS:
            return item["key"], SAMPLE_ANSWERS[qtype]
    return None


def send(client, method, url, payload, version=0):
    if method == "get":
        return client.get(url)
    if method == "json":
        key, answer = payload
        body = json.dumps({"key": key, "answer": answer, "version": version})
        return client.post(url, body, content_type="application/json")
    return client.post(url, payload)


def measure(client, method, url, payload, runs):
    """Queries of one request after a warm-up (none before a submission), and its time:
    the median of ``runs`` requests for a page, the one request for an action."""
    version = 0
    if method != "submit":
        send(client, method, url, payload)
        version = 1
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        response = send(client, method, url, payload, version)
    times = [(time.perf_counter() - start) * 1000]
    queries = len(ctx.captured_queries)  # now: the next request resets the query log
    if method == "get":
        for _ in range(runs - 1):
            start = time.perf_counter()
            send(client, method, url, payload)
            times.append((time.perf_counter() - start) * 1000)
    return response.status_code, queries, statistics.median(times)


def measure_learner(client, user, classroom, runs):
    enrolment = (
        user.enrolments.select_related("course")
        .filter(course__in=CoursePage.objects.live())
        .order_by("-last_activity_at", "-pk")
    )
    quizzes = {q.path[: -CoursePage.steplen]: q for q in QuizPage.objects.live()}
    course = next(e.course for e in enrolment if e.course.path in quizzes)
    quiz = quizzes[course.path]
    finished = (
        QuizAttempt.objects.filter(user=user)
        .exclude(status=AttemptStatus.IN_PROGRESS)
        .order_by("-submitted_at")
        .first()
    )
    certificate = Certificate.objects.filter(user=user).current().order_by("-issued_at").first()
    if quiz.max_attempts:  # a new attempt must be possible on every database alike
        QuizPage.objects.filter(pk=quiz.pk).update(max_attempts=0)
        quiz.max_attempts = 0
    attempt = attempts.start_attempt(user, quiz)
    client.force_login(user)
    shape = {
        "finished attempt": finished is not None,
        "certificate": certificate is not None,
        "class": ClassPupil.objects.filter(classroom=classroom, user=user).exists(),
        "staff assignments": Assignment.objects.filter(
            classroom__isnull=True, recipients=user
        ).exists(),
    }
    rows = {}
    for page, method, url, payload in pages(
        user, course, quiz, attempt, finished, certificate, classroom
    ):
        rows[page] = measure(client, method, url, payload, runs)
    facts = {
        "enrolments": user.enrolments.count(),
        "attempts": QuizAttempt.objects.filter(user=user).count(),
        "certificates": Certificate.objects.filter(user=user).count(),
    }
    return shape, facts, rows


def measure_database(runs):
    # As Django's test runner does: keep one connection so its queries can be counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    client = Client(HTTP_HOST="127.0.0.1")
    results = {}
    with transaction.atomic():
        picked = learners()
        pupil = picked["pupil in a class"]
        course = CoursePage.objects.live().filter(enrolments__user=pupil).order_by("path").first()
        quiz = QuizPage.objects.child_of(course).live().first()
        classroom = give_class(pupil, course, quiz)
        give_staff_assignments(picked["CQO"], course, quiz)
        for name, user in picked.items():
            shape, facts, rows = measure_learner(client, user, classroom, runs)
            results[name] = {"user": user.username, "shape": shape, "facts": facts, "rows": rows}
        transaction.set_rollback(True)
    return {
        "users": User.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "learners": results,
    }


def xs_counts(database_url, runs):
    # Its own cache keys: with Redis, one database's rate-limit counters and kept site state
    # must not reach the other's run.
    prefix = f"{os.environ.get('CACHE_KEY_PREFIX', 'qa')}-xs-{os.getpid()}"
    env = {**os.environ, "DATABASE_URL": database_url, "CACHE_KEY_PREFIX": prefix}
    out = subprocess.run(
        [sys.executable, __file__, "--json", "--runs", str(runs)],
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(out)


def counterpart(xs, name, shape):
    """The XS learner picked by the same rule, or else any XS learner of the same shape."""
    same = xs["learners"].get(name)
    if same and same["shape"] == shape:
        return same
    return next((r for r in xs["learners"].values() if r["shape"] == shape), None)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--xs-database", help="DATABASE_URL of the XS database")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print this database's counts")
    args = parser.parse_args()
    # The certificate PDF is a 404 on generated data (no file): not worth a line per request.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    if args.json:
        print(json.dumps(measure_database(args.runs)))
        return 0
    print(f"machine: {platform.node()}, {os.cpu_count()} cores, {platform.platform()}")
    print("command: " + " ".join([sys.argv[0], *sys.argv[1:]]))
    settings = connection.settings_dict
    print(
        f"database: {settings['NAME']} on {settings['HOST'] or 'localhost'} ({connection.vendor})"
    )
    xs = xs_counts(args.xs_database, args.runs) if args.xs_database else None
    large = measure_database(args.runs)
    print(f"large: {large['users']:,} users, {large['enrolments']:,} enrolments")
    if xs:
        print(f"XS: {xs['users']:,} users, {xs['enrolments']:,} enrolments")
    failures = 0
    for name, result in large["learners"].items():
        facts = ", ".join(f"{v} {k}" for k, v in result["facts"].items())
        shown = ", ".join(k for k, v in result["shape"].items() if v) or "nothing more"
        print(f"\n{name} ({result['user']}: {facts}; has {shown})")
        other = counterpart(xs, name, result["shape"]) if xs else None
        if xs and other is None:
            print("  no XS learner of this shape: not compared")
        print(f"  {'page':20} {'status':>6} {'queries':>7} {'XS':>4} {'ms':>8}")
        for page, (status, queries, ms) in result["rows"].items():
            small = other["rows"].get(page, [None, None])[1] if other else None
            mark = ""
            if small is not None and small != queries:
                mark = "  <-- differs from XS"
                failures += 1
            shown_small = "-" if small is None else small
            print(f"  {page:20} {status:>6} {queries:>7} {shown_small:>4} {ms:>8.1f}{mark}")
    if failures:
        print(f"\n{failures} page(s) cost a different number of queries than on XS.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
