"""A quiz attempt is reported when it starts (``attempted``), so an attempt started and never
submitted leaves its trace; the graded attempt's answers and grade name that start as their
context.statement, so a learning record store joins them."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from ralph.models.xapi.base.statements import BaseXapiStatement

from courses import services as learning
from courses.models import EnrolmentSource, QuizAttempt
from courses.quiz import attempts
from courses.signals import quiz_attempt_started
from tests.accounts.factories import make_user
from tests.classrooms.helpers import assign, make_class, make_pupil, make_school, make_teacher
from tests.xapi.helpers import RIGHT, WRONG, journey_course, take_quiz
from xapi import identity, receivers
from xapi.models import Statement

pytestmark = pytest.mark.django_db

ATTEMPT = "http://testserver/xapi/extensions/attempt"


@pytest.fixture
def course(tmp_path, catalog):
    return journey_course(tmp_path)


def rows(user, verb=None):
    found = Statement.objects.filter(user=user).order_by("created_at", "id")
    if verb:
        found = found.filter(verb=verb)
    return [row.data for row in found]


def test_a_started_attempt_left_open_is_reported_at_its_start(course):
    course_page, _, quiz = course
    learner = make_user()
    enrolment = learning.enrol(learner, course_page)
    attempt = attempts.start_attempt(learner, quiz)
    assert [s["verb"]["display"]["en-US"] for s in rows(learner)] == ["registered", "attempted"]
    started = rows(learner, "attempted")[0]
    BaseXapiStatement.model_validate(started)
    assert started["id"] == identity.attempt_statement_id(attempt.pk)
    assert started["object"]["id"] == "http://testserver" + quiz.url
    assert started["object"]["definition"]["type"].endswith("/assessment")
    assert started["timestamp"] == attempt.started_at.isoformat()
    assert started["context"]["registration"] == identity.registration(enrolment.pk)
    assert started["context"]["extensions"][ATTEMPT] == {"number": 1}
    assert started["context"]["contextActivities"]["parent"][0]["id"] == (
        "http://testserver" + course_page.url
    )
    # Opening the quiz again resumes the open attempt: no second start.
    assert attempts.start_attempt(learner, quiz).pk == attempt.pk
    assert len(rows(learner, "attempted")) == 1


def test_the_graded_statements_name_their_attempts_start(course):
    course_page, _, quiz = course
    learner = make_user()
    learning.enrol(learner, course_page)
    failed = take_quiz(learner, quiz, WRONG)
    passed = take_quiz(learner, quiz, RIGHT)
    starts = rows(learner, "attempted")
    assert [s["id"] for s in starts] == [
        identity.attempt_statement_id(failed.pk),
        identity.attempt_statement_id(passed.pk),
    ]
    for attempt, verb in ((failed, "failed"), (passed, "passed")):
        start = identity.attempt_statement_id(attempt.pk)
        joined = [s for s in rows(learner) if s["context"].get("statement", {}).get("id") == start]
        # Six answers and the grade, all of this attempt and none of the other.
        assert [s["verb"]["display"]["en-US"] for s in joined] == ["answered"] * 6 + [verb]
        for data in joined:
            BaseXapiStatement.model_validate(data)
            assert data["context"]["statement"]["objectType"] == "StatementRef"
            assert data["context"]["extensions"][ATTEMPT] == {"number": attempt.number}
    # The start is written once, not again at grading.
    assert Statement.objects.filter(user=learner, verb="attempted").count() == 2


def test_an_attempt_started_before_starts_were_reported_gets_its_start_when_graded(course):
    course_page, _, quiz = course
    learner = make_user()
    learning.enrol(learner, course_page)
    quiz_attempt_started.disconnect(receivers.quiz_attempt_began)
    try:
        attempt = attempts.start_attempt(learner, quiz)
    finally:
        quiz_attempt_started.connect(receivers.quiz_attempt_began)
    assert not rows(learner, "attempted")
    for key, answer in RIGHT.items():
        attempts.save_answer(attempt, key, answer, 0)
    attempts.submit_attempt(attempt)
    started = rows(learner, "attempted")
    assert [s["id"] for s in started] == [identity.attempt_statement_id(attempt.pk)]
    assert rows(learner, "passed")[0]["context"]["statement"]["id"] == started[0]["id"]


def test_a_start_that_fails_leaves_neither_attempt_nor_statement(course):
    course_page, _, quiz = course
    learner = make_user()
    learning.enrol(learner, course_page)
    with pytest.raises(RuntimeError), transaction.atomic():
        attempts.start_attempt(learner, quiz)
        assert len(rows(learner, "attempted")) == 1
        raise RuntimeError("the request fails after starting")
    assert not QuizAttempt.objects.filter(user=learner).exists()
    assert not rows(learner, "attempted")


def _start_sql(user, quiz):
    with CaptureQueriesContext(connection) as ctx:
        attempts.start_attempt(user, quiz)
    return [q["sql"] for q in ctx.captured_queries]


def test_the_start_costs_one_insert_more_and_a_class_pupils_one_read_more(course):
    """Measured, not assumed: the statement is one INSERT; training set by a class also
    reads the assignment that names the statement's context (the same context the graded
    statements carry)."""
    course_page, _, quiz = course
    alone = make_user()
    learning.enrol(alone, course_page)
    own = _start_sql(alone, quiz)
    school = make_school("甲校")
    teacher = make_teacher(school)
    classroom = make_class(school, teacher)
    pupil = make_pupil(school, classroom)
    assignment = assign(classroom, teacher, course_page)
    learning.enrol(pupil, course_page, source=EnrolmentSource.CLASS, organisation=school)
    set_by_class = _start_sql(pupil, quiz)
    assert [sql for sql in own if "xapi_statement" in sql] == [own[-2]]
    assert own[-2].startswith("INSERT")
    extra = [sql for sql in set_by_class if "classrooms_assignment" in sql]
    assert len(set_by_class) == len(own) + 1 and len(extra) == 1
    grouping = rows(pupil, "attempted")[0]["context"]["contextActivities"]["grouping"]
    assert f"http://testserver/xapi/assignments/{assignment.pk}" in [g["id"] for g in grouping]
