"""Races that real users create: double clicks, two tabs, many requests at once.

Row locks and constraints are only real on PostgreSQL, so these run there (CI runs the
whole suite on PostgreSQL too); SQLite serialises writers by locking the whole file.
"""

import threading

import pytest
from django.conf import settings
from django.db import connection, transaction

from courses import services
from courses.models import Enrolment, LessonPage, QuizAttempt
from courses.quiz import attempts
from courses.signals import course_completed
from tests.accounts.factories import make_user
from tests.conftest import build_catalog
from tests.courses.learning_helpers import RIGHT, quiz_course

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.IS_POSTGRES, reason="row locks and concurrent writers need PostgreSQL"
    ),
]


def run_together(count, work):
    """Run ``work(i)`` in ``count`` threads released at the same moment; return results."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def target(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as exc:  # collected and re-raised in the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.fixture
def course_and_quiz(tmp_path):
    build_catalog()
    return quiz_course(tmp_path, max_attempts=1)


def test_concurrent_enrolments_make_one_row(course_and_quiz):
    course, _ = course_and_quiz
    learner = make_user()
    results, errors = run_together(8, lambda i: services.enrol(learner, course).pk)
    assert not errors
    assert len(set(results)) == 1
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1


def test_concurrent_starts_respect_the_attempt_limit(course_and_quiz):
    course, quiz = course_and_quiz
    learner = make_user()
    services.enrol(learner, course)

    def start(_):
        try:
            return attempts.start_attempt(learner, quiz).pk
        except attempts.AttemptError as exc:
            return exc.code

    results, errors = run_together(8, start)
    assert not errors
    assert QuizAttempt.objects.filter(user=learner).count() == 1
    assert len({r for r in results if isinstance(r, int)}) == 1


def test_double_submission_in_two_tabs_grades_once(course_and_quiz):
    course, quiz = course_and_quiz
    learner = make_user()
    services.enrol(learner, course)
    attempt = attempts.start_attempt(learner, quiz)
    for key, answer in RIGHT.items():
        attempts.save_answer(attempt, key, answer, 0)
    results, errors = run_together(
        6, lambda i: attempts.submit_attempt(QuizAttempt.objects.get(pk=attempt.pk)).submitted_at
    )
    assert not errors
    assert len(set(results)) == 1
    attempt.refresh_from_db()
    assert attempt.score == 100 and attempt.passed


def test_two_tabs_saving_the_same_answer_keep_exactly_one(course_and_quiz):
    course, quiz = course_and_quiz
    learner = make_user()
    services.enrol(learner, course)
    attempt = attempts.start_attempt(learner, quiz)

    def save(i):
        try:
            return attempts.save_answer(attempt, "q-si", i % 3, 0)
        except attempts.AttemptError as exc:
            return exc.code

    results, errors = run_together(6, save)
    assert not errors
    assert results.count(1) == 1 and results.count("stale") == 5


def test_finishing_the_last_two_units_at_once_completes_the_course_once(tmp_path):
    build_catalog()
    course, quiz = quiz_course(tmp_path, lessons=1)
    learner = make_user()
    enrolment = services.enrol(learner, course)
    lesson = LessonPage.objects.child_of(course).get()
    attempt = attempts.start_attempt(learner, quiz)
    for key, answer in RIGHT.items():
        attempts.save_answer(attempt, key, answer, 0)
    sent = []
    course_completed.connect(
        lambda sender, enrolment, **kw: sent.append(enrolment.pk),
        weak=False,
        dispatch_uid="race-completions",
    )
    try:
        work = [
            lambda: services.complete_lesson(enrolment, lesson),
            lambda: attempts.submit_attempt(attempt),
        ]
        _, errors = run_together(2, lambda i: work[i]())
    finally:
        course_completed.disconnect(dispatch_uid="race-completions")
    assert not errors
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None and enrolment.progress == 100
    assert sent == [enrolment.pk]


def test_an_answer_racing_the_submission_is_in_the_grade_or_refused(course_and_quiz):
    from decimal import Decimal

    from django.db.models import Sum

    course, quiz = course_and_quiz
    for _ in range(5):
        learner = make_user()
        services.enrol(learner, course)
        attempt = attempts.start_attempt(learner, quiz)
        attempts.save_answer(attempt, "q-kg", True, 0)
        work = [
            lambda a=attempt: attempts.submit_attempt(a),
            lambda a=attempt: attempts.save_answer(a, "q-si", 0, 0),
        ]

        def run(i, work=work):
            try:
                return work[i]()
            except attempts.AttemptError as exc:
                return exc.code

        _, errors = run_together(2, run)
        assert not errors
        attempt.refresh_from_db()
        stored = attempt.responses.aggregate(total=Sum("credit"))["total"]
        assert attempt.score == (Decimal(stored) * 100 / 4).quantize(Decimal("0.01"))


def test_learners_finishing_the_same_course_do_not_wait_for_each_other(course_and_quiz):
    """On exam day a thousand learners complete one course within a minute: one learner's
    completion (and the certificate issued inside it) must not lock the course for the rest."""
    course, _ = course_and_quiz
    first, second = make_user(), make_user()
    enrolments = [services.enrol(user, course) for user in (first, second)]
    holding, release = threading.Event(), threading.Event()

    def first_learner():
        try:
            with transaction.atomic():
                services.refresh_enrolment(enrolments[0])
                holding.set()
                release.wait(10)  # still inside the transaction, its locks held
        finally:
            connection.close()

    thread = threading.Thread(target=first_learner)
    thread.start()
    try:
        assert holding.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            refreshed = services.refresh_enrolment(enrolments[1])
        assert refreshed.progress == 0
    finally:
        release.set()
        thread.join(10)
