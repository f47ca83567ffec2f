"""A training manager's way to their work: the header link, the attention panel on the
dashboard, and reminders to staff who have not finished an assignment."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from classrooms.models import AssignmentAudience, Notification, NotificationKind
from courses import services as learning
from tests.accounts.factories import add_member, make_organisation, make_user
from tests.certificates.helpers import lessons_course
from training import assignments as staff_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise(db, tmp_path):
    manager = make_user("boss3", real_name="陈经理")
    organisation = make_organisation(manager=manager)
    course = lessons_course(tmp_path, slug="daily-course", title="班组长质量管理")
    staff = [add_member(organisation, make_user(real_name=n)).user for n in ("甲", "乙", "丙")]
    return manager, organisation, course, staff


def set_work(organisation, manager, course, people, *, due_in, opened_ago=2):
    now = timezone.now()
    return staff_work.assign(
        organisation,
        manager,
        course=course,
        opens_at=now - timedelta(days=opened_ago),
        due_at=now + timedelta(days=due_in),
        audience=AssignmentAudience.LEARNERS,
        user_ids=[u.pk for u in people],
    )


def finish(user, course):
    enrolment = learning.enrol(user, course)
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["completed_at"])


def test_a_manager_finds_staff_training_in_the_header_and_what_needs_attention(client, enterprise):
    manager, organisation, course, staff = enterprise
    late = set_work(organisation, manager, course, staff, due_in=-1, opened_ago=10)
    finish(staff[0], course)
    week = set_work(organisation, manager, course, staff[:1], due_in=4)
    set_work(organisation, manager, course, staff, due_in=20)  # not this week
    client.force_login(manager)

    home = client.get("/").content.decode()
    assert 'href="/org/staff/">员工培训</a>' in home and 'href="/classes/"' not in home

    html = client.get("/dashboard/").content.decode()
    panel = html[html.index("员工培训：待处理") :]
    assert "2 人已逾期" in panel
    assert f'href="{reverse("staff_assignment", args=[late.pk])}"' in panel
    assert f"本周截止：{week.title}" in panel
    assert panel.count("本周截止") == 1


def _panel_queries(client, manager, organisation, course, people):
    for n in range(len(people) // 3):
        set_work(organisation, manager, course, people[n * 3 : n * 3 + 3], due_in=-1 + n)
    client.force_login(manager)
    client.get("/dashboard/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/dashboard/").status_code == 200
    return len(ctx.captured_queries)


def test_the_manager_panel_costs_the_same_queries_for_few_and_many(client, enterprise, tmp_path):
    manager, organisation, course, staff = enterprise
    few = _panel_queries(client, manager, organisation, course, staff)
    other_manager = make_user(real_name="林经理")
    bigger = make_organisation(manager=other_manager)
    people = [add_member(bigger, make_user(real_name=f"员工{i}")).user for i in range(30)]
    assert _panel_queries(client, other_manager, bigger, course, people) == few


def test_a_manager_reminds_staff_not_done_once_an_hour(
    client, enterprise, mailoutbox, django_capture_on_commit_callbacks
):
    manager, organisation, course, staff = enterprise
    work = set_work(organisation, manager, course, staff, due_in=5)
    finish(staff[0], course)
    client.force_login(manager)
    url = reverse("staff_assignment", args=[work.pk])
    page = client.get(url).content.decode()
    assert "提醒未完成的人" in page and "将向 2 位尚未完成的学员发送通知" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + "remind/", {"confirm": "1"}, follow=True)
    html = response.content.decode()
    assert "已向 2 位" in html and "上次提醒" in html and "陈经理" in html
    reminded = Notification.objects.filter(kind=NotificationKind.REMINDER)
    assert {n.recipient for n in reminded} == set(staff[1:])
    assert {n.sent_by for n in reminded} == {manager}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in staff[1:])

    again = client.post(url + "remind/", {"confirm": "1"}, follow=True)
    assert "一小时" in again.content.decode() and reminded.count() == 2


def test_reminding_another_organisations_assignment_is_not_found(client, enterprise):
    manager, organisation, course, staff = enterprise
    work = set_work(organisation, manager, course, staff, due_in=5)
    other = make_user(real_name="外企经理")
    make_organisation(manager=other)
    client.force_login(other)
    assert client.post(f"/org/assignments/{work.pk}/remind/", {"confirm": "1"}).status_code == 404
    client.force_login(staff[1])
    assert client.post(f"/org/assignments/{work.pk}/remind/", {"confirm": "1"}).status_code == 404
    assert not Notification.objects.filter(kind=NotificationKind.REMINDER).exists()


def test_staff_are_told_when_training_is_set(
    client, enterprise, mailoutbox, django_capture_on_commit_callbacks
):
    manager, organisation, course, staff = enterprise
    with django_capture_on_commit_callbacks(execute=True):
        set_work(organisation, manager, course, staff[:2], due_in=14)
    assert Notification.objects.filter(kind=NotificationKind.OPENED).count() == 2
    assert len(mailoutbox) == 2
    client.force_login(staff[0])
    html = client.get("/dashboard/").content.decode()
    assert "学习任务已开放" in html and "班组长质量管理" in html


def test_all_staff_training_reaches_people_who_join_later_but_not_the_manager(
    client, enterprise, django_capture_on_commit_callbacks
):
    """All staff is resolved when read: the panel counts a newcomer, never the manager."""
    manager, organisation, course, staff = enterprise
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        work = staff_work.assign(
            organisation,
            manager,
            course=course,
            opens_at=now - timedelta(days=10),
            due_at=now - timedelta(days=1),
            audience=AssignmentAudience.STAFF,
        )
    newcomer = add_member(organisation, make_user(real_name="新同事")).user
    reached = staff_work.audience_members(work)
    assert newcomer in [m.user for m in reached] and manager not in [m.user for m in reached]
    panel = staff_work.manager_attention(manager, now)
    assert [a.pk for a in panel["overdue"]] == [work.pk]
    # Everyone but the manager is overdue, the newcomer included.
    assert panel["overdue"][0].overdue_count == panel["overdue_staff"] == len(staff) + 1
