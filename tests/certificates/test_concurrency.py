"""Issuing under races, on PostgreSQL where row locks and constraints are real."""

import pytest
from django.conf import settings

from certificates import services
from certificates.models import Certificate
from courses import services as learning
from courses.models import Enrolment, LessonPage
from tests.accounts.factories import make_user
from tests.certificates.helpers import finish, lessons_course
from tests.conftest import build_catalog
from tests.courses.test_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.IS_POSTGRES, reason="row locks and concurrent writers need PostgreSQL"
    ),
]


@pytest.fixture
def course(tmp_path):
    build_catalog()
    return lessons_course(tmp_path)


def test_concurrent_issues_for_one_enrolment_make_one_certificate(course):
    enrolment = finish(make_user(), course)
    Certificate.objects.all().delete()  # as if the completion's own issue had failed
    results, errors = run_together(8, lambda i: services.issue_for(enrolment).pk)
    assert not errors
    assert len(set(results)) == 1
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1


def test_finishing_the_last_two_lessons_at_once_issues_one_certificate(course):
    learner = make_user()
    enrolment = learning.enrol(learner, course)
    lessons = list(LessonPage.objects.child_of(course).live())
    _results, errors = run_together(2, lambda i: learning.complete_lesson(enrolment, lessons[i]).pk)
    assert not errors
    assert Enrolment.objects.get(pk=enrolment.pk).completed_at is not None
    assert Certificate.objects.filter(user=learner).count() == 1


def test_concurrent_reissues_leave_one_certificate_in_force(course):
    finish(make_user(), course)
    original = Certificate.objects.get()

    def reissue(_index):
        try:
            return services.reissue(original).pk
        except services.CertificateError:
            return None

    results, errors = run_together(4, reissue)
    assert not errors
    assert len([r for r in results if r]) == 1
    assert Certificate.objects.current().count() == 1
