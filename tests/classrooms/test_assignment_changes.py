"""A teacher changes an assignment's dates, is warned before assigning the same work twice,
confirms before withdrawing work or removing a pupil; pupils start at the first unit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from classrooms import services
from classrooms.models import Assignment, ClassPupil
from courses.models import LessonPage
from tests.classrooms.helpers import (
    assign,
    make_class,
    make_pupil,
    make_school,
    make_teacher,
    school_module,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client, catalog, tmp_path):
    school = make_school()
    teacher = make_teacher(school)
    classroom = make_class(school, teacher)
    course, quiz = school_module(tmp_path)
    pupils = [make_pupil(school, classroom, real_name=n) for n in ("甲同学", "乙同学")]
    client.force_login(teacher)
    return {
        "classroom": classroom,
        "teacher": teacher,
        "course": course,
        "quiz": quiz,
        "pupils": pupils,
    }


def assign_form(world, **extra):
    now = timezone.localtime()
    return {
        "unit": "course",
        "audience": "class",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "due_at": (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        **extra,
    }


def assign_url(world):
    return f"/classes/{world['classroom'].pk}/modules/{world['course'].pk}/assign/"


def test_the_dates_of_an_assignment_can_be_changed_and_are_checked(client, world):
    classroom = world["classroom"]
    work = assign(classroom, world["teacher"], world["course"])
    page = client.get(f"/classes/{classroom.pk}/").content.decode()
    assert "修改日期" in page
    url = f"/classes/{classroom.pk}/assignments/{work.pk}/dates/"
    assert client.get(url).status_code == 200
    bad = client.post(
        url, {"dates-opens_at": "2030-03-10T08:00", "dates-due_at": "2030-03-01T08:00"}
    )
    assert bad.status_code == 200 and "截止时间必须晚于开放时间" in bad.content.decode()
    before = (work.opens_at, work.due_at)
    work.refresh_from_db()
    assert (work.opens_at, work.due_at) == before
    response = client.post(
        url, {"dates-opens_at": "2030-03-10T08:00", "dates-due_at": "2030-03-17T22:00"}
    )
    assert response["Location"] == f"/classes/{classroom.pk}/"
    work.refresh_from_db()
    assert timezone.localtime(work.due_at).strftime("%Y-%m-%d %H:%M") == "2030-03-17 22:00"
    assert "2030-03-17 22:00" in client.get(f"/classes/{classroom.pk}/").content.decode()


def test_another_teachers_assignment_dates_are_404(client, world):
    work = assign(world["classroom"], world["teacher"], world["course"])
    other = make_teacher(make_school("别的学校"), real_name="外校老师")
    client.force_login(other)
    other_class = make_class(other.memberships.get().organisation, other)
    for classroom in (world["classroom"], other_class):
        url = f"/classes/{classroom.pk}/assignments/{work.pk}/dates/"
        data = {"dates-opens_at": "2030-03-10T08:00", "dates-due_at": "2030-03-17T22:00"}
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
    due = work.due_at
    work.refresh_from_db()
    assert work.due_at == due


def test_assigning_the_same_course_again_warns_then_assigns_anyway(client, world):
    classroom = world["classroom"]
    first, second = world["pupils"]
    assign(classroom, world["teacher"], world["course"], audience="learners", recipients=[first])
    response = client.post(assign_url(world), assign_form(world))
    page = response.content.decode()
    assert response.status_code == 200
    assert "已经布置过" in page and "仍然布置" in page
    assert Assignment.objects.count() == 1
    # Only the other pupil: nobody has it twice, so no warning.
    response = client.post(
        assign_url(world), assign_form(world, audience="learners", recipients=[second.pk])
    )
    assert response.status_code == 302 and Assignment.objects.count() == 2
    # The quiz alone is other work: no warning either.
    response = client.post(assign_url(world), assign_form(world, unit=str(world["quiz"].pk)))
    assert response.status_code == 302 and Assignment.objects.count() == 3
    response = client.post(assign_url(world), assign_form(world, anyway="1"))
    assert response.status_code == 302 and Assignment.objects.count() == 4


def test_a_group_assignment_warns_for_its_members(client, world):
    classroom = world["classroom"]
    first, _second = world["pupils"]
    group = services.save_group(classroom, name="第一组", members=[first])
    assign(classroom, world["teacher"], world["course"])
    response = client.post(assign_url(world), assign_form(world, audience="group", group=group.pk))
    assert response.status_code == 200 and "已经布置过" in response.content.decode()
    assert Assignment.objects.count() == 1


def test_withdrawing_asks_first(client, world):
    classroom = world["classroom"]
    work = assign(classroom, world["teacher"], world["course"])
    url = f"/classes/{classroom.pk}/assignments/{work.pk}/withdraw/"
    page = client.get(url).content.decode()
    assert "撤回" in page and 'name="confirm"' in page
    assert client.post(url).status_code == 200
    assert Assignment.objects.filter(pk=work.pk).exists()
    assert client.post(url, {"confirm": "1"})["Location"] == f"/classes/{classroom.pk}/"
    assert not Assignment.objects.filter(pk=work.pk).exists()


def test_removing_a_pupil_asks_first(client, world):
    classroom = world["classroom"]
    pupil = world["pupils"][0]
    url = f"/classes/{classroom.pk}/pupils/{pupil.pk}/remove/"
    page = client.get(url).content.decode()
    assert "甲同学" in page and 'name="confirm"' in page
    assert client.post(url).status_code == 200
    assert ClassPupil.objects.filter(classroom=classroom, user=pupil).exists()
    client.post(url, {"confirm": "1"})
    assert not ClassPupil.objects.filter(classroom=classroom, user=pupil).exists()


def test_the_group_and_pupil_fields_say_when_they_apply(client, world):
    page = client.get(assign_url(world)).content.decode()
    assert 'data-shown-when="audience:group"' in page
    assert 'data-shown-when="audience:learners"' in page
    assert "js/shown-when" in page and "<script>" not in page


def test_a_pupil_starts_a_course_assignment_at_its_first_lesson(client, world):
    work = assign(world["classroom"], world["teacher"], world["course"])
    client.force_login(world["pupils"][0])
    response = client.post(f"/classes/assignments/{work.pk}/start/")
    first = LessonPage.objects.child_of(world["course"]).live().order_by("path").first()
    assert response["Location"] == first.url
