"""Courses offered for assignment, to a class or to staff, are only public, published ones."""

import pytest
from wagtail.models import PageViewRestriction

from courses.models import QuizPage
from tests.accounts.factories import make_organisation, make_user
from tests.certificates.helpers import lessons_course
from tests.classrooms.helpers import make_class, make_school, make_teacher, school_module

pytestmark = pytest.mark.django_db


def _restrict(page):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


def test_a_private_or_unpublished_school_module_is_not_offered(client, catalog, tmp_path):
    school = make_school()
    teacher = make_teacher(school)
    client.force_login(teacher)
    classroom = make_class(school, teacher)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "c").mkdir()
    private, _ = school_module(tmp_path / "a", slug="private-module")
    _restrict(private)
    draft, _ = school_module(tmp_path / "b", slug="draft-module")
    draft.unpublish()
    public, _ = school_module(tmp_path / "c", slug="public-module")

    html = client.get(f"/classes/{classroom.pk}/modules/?grade_band=").content.decode()
    assert f"/modules/{public.pk}/assign/" in html
    assert f"/modules/{private.pk}/assign/" not in html
    assert f"/modules/{draft.pk}/assign/" not in html
    assert client.get(f"/classes/{classroom.pk}/modules/{private.pk}/assign/").status_code == 404
    assert client.get(f"/classes/{classroom.pk}/modules/{draft.pk}/assign/").status_code == 404


def test_a_private_quiz_of_a_public_module_is_not_offered(client, catalog, tmp_path):
    school = make_school()
    teacher = make_teacher(school)
    client.force_login(teacher)
    classroom = make_class(school, teacher)
    course, quiz = school_module(tmp_path, slug="module-private-quiz")
    _restrict(quiz)
    html = client.get(f"/classes/{classroom.pk}/modules/{course.pk}/assign/").content.decode()
    assert f'value="{quiz.pk}"' not in html
    assert QuizPage.objects.filter(pk=quiz.pk).exists()


def test_staff_assignment_offers_only_public_courses(client, catalog, tmp_path):
    manager = make_user(real_name="陈经理")
    make_organisation(manager=manager)
    client.force_login(manager)
    for sub in "abc":
        (tmp_path / sub).mkdir()
    private = lessons_course(tmp_path / "a", slug="private-course", title="内部课程")
    _restrict(private)
    draft = lessons_course(tmp_path / "b", slug="draft-course", title="未发布课程")
    draft.unpublish()
    public = lessons_course(tmp_path / "c", slug="public-course", title="公开课程")
    html = client.get("/org/assignments/").content.decode()
    assert public.title in html
    assert "内部课程" not in html and "未发布课程" not in html
