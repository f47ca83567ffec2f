"""Builders for class tests: schools with a teacher, classes, pupils and school modules."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import OrganisationKind, Role
from classrooms import services
from classrooms.models import AssignmentAudience
from courses.models import CoursePage, QuizPage
from courses.package.services import import_packages
from tests.accounts.factories import add_member, credit_code, make_organisation, make_user
from tests.courses.learning_helpers import QUIZ_GIFT
from tests.factories import package_dict, write_package


def make_school(name="上海市示范中学"):
    return make_organisation(kind=OrganisationKind.SCHOOL, credit_code=credit_code(), name=name)


def make_teacher(school, real_name="周老师", **extra):
    user = make_user(real_name=real_name, **extra)
    add_member(school, user, role=Role.TEACHER)
    return user


def make_pupil(school, classroom=None, real_name="王小明", **extra):
    user = make_user(real_name=real_name, **extra)
    add_member(school, user, role=Role.LEARNER)
    if classroom is not None:
        services.add_pupils(classroom, [user])
    return user


def make_class(school, teacher, name="初二（3）班", grade_band="junior", grade=2, year=2025):
    return services.create_classroom(
        school, teacher, name=name, grade_band=grade_band, grade=grade, school_year=year
    )


def school_module(tmp_path, slug="school-module", *, gift=QUIZ_GIFT, lessons=2, **quiz):
    """A junior-school course of lessons and a final quiz, for the school audience."""
    data = package_dict(slug=slug, lessons=lessons, audiences=["school"], grade_band="junior")
    unit = {"quiz": "final", "title": "结业测验", "pass_mark": 75, "shuffle": True, "gift": gift}
    unit.update(quiz)
    data["units"].append(unit)
    import_packages([write_package(tmp_path, data)])
    course = CoursePage.objects.get(slug=slug)
    return course, QuizPage.objects.child_of(course).get()


def assign(classroom, teacher, course, quiz=None, *, days=7, opened_days_ago=1, **kwargs):
    now = timezone.now()
    options = {"audience": AssignmentAudience.CLASS, "group": None, "recipients": []}
    options.update(kwargs)
    return services.assign(
        classroom,
        teacher,
        course=course,
        quiz=quiz,
        opens_at=now - timedelta(days=opened_days_ago),
        due_at=now + timedelta(days=days),
        **options,
    )
