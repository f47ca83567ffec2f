"""All staff and departments reach later joiners; managers only when chosen; dates can be
changed; a second assignment of the same course warns; withdrawing asks first; starting opens
the first unit."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts_services
from classrooms.models import Assignment
from courses.models import Enrolment, LessonPage
from tests.accounts.factories import add_member, make_organisation, make_user
from tests.certificates.helpers import lessons_course
from tests.training.test_assignments import post_assignment


@pytest.fixture
def enterprise(db, tmp_path):
    """A manager, two people in 质检部 and one in 装配车间 (as in test_assignments)."""
    manager = make_user("boss2", real_name="陈经理")
    organisation = make_organisation(manager=manager)
    course = lessons_course(tmp_path, slug="assigned-course", title="班组长质量管理")
    qc = [
        add_member(organisation, make_user(real_name=n), department="质检部") for n in ("甲", "乙")
    ]
    line = [add_member(organisation, make_user(real_name="丙"), department="装配车间")]
    return manager, organisation, course, qc, line


def status_names(client, assignment):
    rows = client.get(reverse("staff_assignment", args=[assignment.pk])).context["rows"]
    return {m.user.real_name for m, _cell in rows}


def dashboard_of(client, user):
    client.force_login(user)
    return client.get(reverse("dashboard")).content.decode()


def test_all_staff_reaches_people_who_join_later_but_not_the_manager(client, enterprise):
    manager, organisation, course, _qc, _line = enterprise
    client.force_login(manager)
    post_assignment(client, course)
    assignment = Assignment.objects.get()
    newcomer = add_member(organisation, make_user(real_name="新来的"), department="仓库")
    assert status_names(client, assignment) == {"甲", "乙", "丙", "新来的"}
    assert "陈经理" not in status_names(client, assignment)
    listing = client.get(reverse("staff_assignments"))
    assert [a.people for a in listing.context["assignments"]] == [4]
    assert "班组长质量管理" in dashboard_of(client, newcomer.user)
    assert "班组长质量管理" not in dashboard_of(client, manager)


def test_the_manager_is_reached_when_chosen(client, enterprise):
    manager, organisation, course, _qc, _line = enterprise
    client.force_login(manager)
    own = organisation.memberships.get(user=manager)
    post_assignment(client, course, to="chosen", members=[own.pk])
    assert status_names(client, Assignment.objects.get()) == {"陈经理"}
    assert "班组长质量管理" in dashboard_of(client, manager)


def test_a_department_reaches_who_moves_into_it_and_not_who_leaves(client, enterprise):
    manager, _organisation, course, qc, line = enterprise
    client.force_login(manager)
    post_assignment(client, course, to="department", department="质检部")
    assignment = Assignment.objects.get()
    accounts_services.update_membership(
        line[0], role=line[0].role, department="质检部", staff_number=""
    )
    accounts_services.update_membership(
        qc[0], role=qc[0].role, department="装配车间", staff_number=""
    )
    assert status_names(client, assignment) == {"乙", "丙"}
    assert "班组长质量管理" in dashboard_of(client, line[0].user)
    assert "班组长质量管理" not in dashboard_of(client, qc[0].user)


def test_the_status_page_costs_the_same_queries_for_5_and_50_staff(client, enterprise):
    manager, organisation, course, _qc, _line = enterprise
    client.force_login(manager)
    post_assignment(client, course)
    assignment = Assignment.objects.get()
    url = reverse("staff_assignment", args=[assignment.pk])

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.context["rows"])

    add_member(organisation, make_user(real_name="丁"), department="仓库")
    add_member(organisation, make_user(real_name="戊"), department="仓库")
    few, rows = count()
    assert rows == 5
    for n in range(45):
        add_member(organisation, make_user(real_name=f"员工{n}"), department=f"部门{n % 4}")
    many, rows = count()
    assert rows == 50
    assert many == few


def test_the_dates_can_be_changed_and_are_checked(client, enterprise):
    manager, _organisation, course, _qc, _line = enterprise
    client.force_login(manager)
    post_assignment(client, course)
    assignment = Assignment.objects.get()
    page = client.get(reverse("staff_assignment", args=[assignment.pk])).content.decode()
    assert "修改日期" in page
    url = reverse("staff_assignment_dates", args=[assignment.pk])
    response = client.post(
        url, {"dates-opens_at": "2030-03-01T08:00", "dates-due_at": "2030-02-01T08:00"}
    )
    assert response.status_code == 200
    assert "截止时间必须晚于开放时间" in response.content.decode()
    before = assignment.due_at
    assignment.refresh_from_db()
    assert assignment.due_at == before
    response = client.post(
        url, {"dates-opens_at": "2030-03-01T08:00", "dates-due_at": "2030-04-01T17:30"}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert timezone.localtime(assignment.due_at).strftime("%Y-%m-%d %H:%M") == "2030-04-01 17:30"
    page = client.get(reverse("staff_assignment", args=[assignment.pk])).content.decode()
    assert "2030-04-01 17:30" in page


def test_assigning_the_same_course_again_warns_then_assigns_anyway(client, enterprise):
    manager, _organisation, course, qc, line = enterprise
    client.force_login(manager)
    post_assignment(client, course, to="department", department="质检部")
    response = post_assignment(client, course, to="chosen", members=[qc[0].pk])
    assert response.status_code == 200
    page = response.content.decode()
    assert "已经布置过" in page and "仍然布置" in page
    assert Assignment.objects.count() == 1
    # Nobody in common: no warning.
    response = post_assignment(client, course, to="chosen", members=[line[0].pk])
    assert response.status_code == 302 and Assignment.objects.count() == 2
    response = post_assignment(client, course, to="chosen", members=[qc[0].pk], anyway="1")
    assert response.status_code == 302 and Assignment.objects.count() == 3


def test_an_overdue_assignment_does_not_warn(client, enterprise):
    manager, organisation, course, _qc, _line = enterprise
    now = timezone.now()
    Assignment.objects.create(
        organisation=organisation,
        course=course,
        audience="staff",
        opens_at=now - timedelta(days=9),
        due_at=now - timedelta(days=1),
    )
    client.force_login(manager)
    assert post_assignment(client, course).status_code == 302
    assert Assignment.objects.count() == 2


def test_withdrawing_asks_first(client, enterprise):
    manager, _organisation, course, _qc, _line = enterprise
    client.force_login(manager)
    post_assignment(client, course)
    assignment = Assignment.objects.get()
    url = reverse("staff_assignment_withdraw", args=[assignment.pk])
    page = client.get(url).content.decode()
    assert "撤回" in page and 'name="confirm"' in page
    response = client.post(url)
    assert response.status_code == 200 and Assignment.objects.exists()
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302 and not Assignment.objects.exists()


def test_starting_opens_the_first_lesson(client, enterprise):
    manager, _organisation, course, qc, _line = enterprise
    client.force_login(manager)
    post_assignment(client, course)
    assignment = Assignment.objects.get()
    client.force_login(qc[0].user)
    response = client.post(reverse("staff_assignment_start", args=[assignment.pk]))
    first = LessonPage.objects.child_of(course).live().order_by("path").first()
    assert response["Location"] == first.url
    assert Enrolment.objects.filter(user=qc[0].user, course=course).exists()


@pytest.mark.parametrize("to", ["all", "department"])
def test_someone_of_another_organisation_is_never_reached(client, enterprise, to):
    manager, _organisation, course, _qc, _line = enterprise
    stranger = add_member(make_organisation(), make_user(real_name="外人"), department="质检部")
    client.force_login(manager)
    post_assignment(client, course, to=to, department="质检部")
    assignment = Assignment.objects.get()
    assert "外人" not in status_names(client, assignment)
    client.force_login(stranger.user)
    assert "班组长质量管理" not in client.get(reverse("dashboard")).content.decode()
    start = reverse("staff_assignment_start", args=[assignment.pk])
    assert client.post(start).status_code == 404
