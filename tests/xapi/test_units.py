"""The receiver for units whose content decides their completion (SCORM, H5P), called as
courses.signals.unit_result_recorded calls it, with a lesson page standing in for the unit;
the last test goes through courses' own service."""

import pytest
from ralph.models.xapi.base.statements import BaseXapiStatement
from ralph.models.xapi.concepts.verbs.scorm_profile import CompletedVerb

from courses import services as learning
from courses.models import EnrolmentSource
from tests.accounts.factories import make_user
from tests.classrooms.helpers import assign, make_class, make_pupil, make_school, make_teacher
from tests.xapi.helpers import journey_course
from xapi import identity, units
from xapi.models import Statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(tmp_path, catalog):
    return journey_course(tmp_path)


@pytest.fixture
def enrolled(course):
    course_page, lessons, _ = course
    learner = make_user()
    return learning.enrol(learner, course_page), lessons[0]


def record(enrolment, unit, **result):
    values = {"completed": True, "passed": None, "score": None, "first_completion": True}
    values.update(result)
    units.unit_result_recorded(sender=None, enrolment=enrolment, unit=unit, **values)


def completions(user):
    return [s.data for s in Statement.objects.filter(user=user, verb="completed")]


def test_a_units_first_completion_is_a_completed_statement_with_its_score(enrolled):
    enrolment, unit = enrolled
    record(enrolment, unit, passed=True, score=0.875)
    [data] = completions(enrolment.user)
    BaseXapiStatement.model_validate(data)
    CompletedVerb.model_validate(data["verb"])
    assert data["object"]["id"] == "http://testserver" + unit.url
    assert data["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/lesson"
    assert data["result"] == {"completion": True, "success": True, "score": {"scaled": 0.875}}
    assert data["context"]["registration"] == identity.registration(enrolment.pk)
    assert data["context"]["contextActivities"]["parent"][0]["id"] == (
        "http://testserver" + enrolment.course.url
    )


def test_failed_content_is_completed_without_success(enrolled):
    enrolment, unit = enrolled
    record(enrolment, unit, passed=False, score=0.3)
    [data] = completions(enrolment.user)
    BaseXapiStatement.model_validate(data)
    assert data["result"] == {"completion": True, "success": False, "score": {"scaled": 0.3}}


def test_content_without_pass_mark_or_score_says_only_completed(enrolled):
    enrolment, unit = enrolled
    record(enrolment, unit)
    [data] = completions(enrolment.user)
    BaseXapiStatement.model_validate(data)
    assert data["result"] == {"completion": True}


@pytest.mark.parametrize(
    "result",
    [
        {"first_completion": False},
        {"completed": False, "first_completion": False, "score": 0.4},
        {"completed": False, "first_completion": True, "passed": False},
    ],
)
def test_results_other_than_the_first_completion_add_nothing(enrolled, result):
    enrolment, unit = enrolled
    before = Statement.objects.count()
    record(enrolment, unit, **result)
    assert Statement.objects.count() == before


@pytest.mark.parametrize("score", [87.5, -0.1, float("nan"), "high"])
def test_a_score_outside_0_to_1_is_left_out_and_the_completion_kept(enrolled, score, caplog):
    enrolment, unit = enrolled
    record(enrolment, unit, passed=True, score=score)
    [data] = completions(enrolment.user)
    BaseXapiStatement.model_validate(data)
    assert data["result"] == {"completion": True, "success": True}
    assert "not in 0..1" in caplog.text


def test_a_class_pupils_unit_carries_the_assignment(course):
    course_page, lessons, _ = course
    school = make_school("甲校")
    teacher = make_teacher(school)
    classroom = make_class(school, teacher)
    pupil = make_pupil(school, classroom)
    assignment = assign(classroom, teacher, course_page)
    enrolment = learning.enrol(
        pupil, course_page, source=EnrolmentSource.CLASS, organisation=school
    )
    record(enrolment, lessons[1], passed=True, score=1)
    [data] = completions(pupil)
    BaseXapiStatement.model_validate(data)
    grouping = [g["id"] for g in data["context"]["contextActivities"]["grouping"]]
    assert f"http://testserver/xapi/assignments/{assignment.pk}" in grouping
    assert data["result"]["score"] == {"scaled": 1.0}


def test_a_result_recorded_by_courses_reaches_the_outbox(enrolled):
    enrolment, unit = enrolled
    learning.record_unit_result(enrolment, unit, completed=False, score=0.2)
    assert completions(enrolment.user) == []
    learning.record_unit_result(enrolment, unit, completed=True, score=0.5)
    learning.record_unit_result(enrolment, unit, completed=True, score=0.7)
    [data] = completions(enrolment.user)
    assert data["result"] == {"completion": True, "score": {"scaled": 0.5}}
