"""Units whose content reports its own result (SCORM, H5P) count like lessons and quizzes.

The learning engine knows them only as live children of a course that are neither lessons
nor quizzes; a plain page stands in for such a unit here.
"""

import pytest
from wagtail.models import Page

from courses import services
from courses.models import CoursePage, LessonPage, UnitResult
from courses.signals import unit_result_recorded
from tests.accounts.factories import make_user
from tests.factories import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_with_content_unit(catalog, tmp_path):
    course = CoursePage.objects.get(slug=make_course(tmp_path, lessons=1).slug)
    unit = course.add_child(instance=Page(title="供应商课件：计量单位", slug="vendor-unit"))
    return course, unit


def test_a_content_unit_counts_towards_course_completion(course_with_content_unit):
    course, unit = course_with_content_unit
    user = make_user(real_name="王芳")
    enrolment = services.enrol(user, course)
    services.complete_lesson(enrolment, LessonPage.objects.child_of(course).get())
    enrolment.refresh_from_db()
    assert enrolment.progress == 50 and enrolment.completed_at is None

    reports = []

    def listen(sender, **kwargs):
        reports.append(kwargs)

    unit_result_recorded.connect(listen, weak=False, dispatch_uid="test-unit-results")
    try:
        services.record_unit_result(enrolment, unit, completed=False, score=0.4)
        enrolment.refresh_from_db()
        assert enrolment.progress == 50
        services.record_unit_result(enrolment, unit, completed=True, passed=True, score=0.9)
        # Reported again (a learner reviewing the finished package): nothing is undone.
        services.record_unit_result(enrolment, unit, completed=False)
    finally:
        unit_result_recorded.disconnect(dispatch_uid="test-unit-results")

    enrolment.refresh_from_db()
    assert enrolment.progress == 100 and enrolment.completed_at is not None
    result = UnitResult.objects.get(user=user, unit=unit)
    assert result.completed_at is not None and result.passed is True and result.score == 0.9
    assert [r["first_completion"] for r in reports] == [False, True, False]
    assert reports[1]["score"] == 0.9 and reports[1]["passed"] is True

    done, _, _ = services.unit_status(user, services.course_units(course))
    assert unit.pk in done


def test_a_score_out_of_range_is_kept_within_zero_and_one(course_with_content_unit):
    course, unit = course_with_content_unit
    enrolment = services.enrol(make_user(), course)
    result = services.record_unit_result(enrolment, unit, completed=True, score=1.7)
    assert result.score == 1.0


def test_another_learners_result_does_not_count(course_with_content_unit):
    course, unit = course_with_content_unit
    first, second = make_user(), make_user()
    services.record_unit_result(services.enrol(first, course), unit, completed=True)
    done, _, _ = services.unit_status(second, services.course_units(course))
    assert unit.pk not in done
