"""Assignment notices: opened and due soon (automatic, once each), reminders from teachers,
and the list on the learner's dashboard."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks import task_backends

from accounts.services import personal_data
from classrooms import notifications, services
from classrooms.models import Assignment, Notification, NotificationKind
from classrooms.notifications import send_assignment_notices
from courses import services as learning
from courses.models import QuizPage
from tests.accounts.factories import make_user
from tests.classrooms.helpers import (
    assign,
    make_class,
    make_pupil,
    make_school,
    make_teacher,
    school_module,
)

pytestmark = pytest.mark.django_db

OPENED, DUE_SOON, REMINDER = NotificationKind.values


@pytest.fixture
def world(catalog, tmp_path):
    school = make_school()
    teacher = make_teacher(school)
    classroom = make_class(school, teacher)
    course, _quiz = school_module(tmp_path)
    with_mail = make_pupil(school, classroom, real_name="王小明", email="ming@example.com")
    without_mail = make_pupil(school, classroom, real_name="李小红", email="")
    return teacher, classroom, course, with_mail, without_mail


def kinds(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_an_open_assignment_notifies_each_pupil_once_and_mails_those_with_an_address(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    teacher, classroom, course, ming, hong = world
    with django_capture_on_commit_callbacks(execute=True):
        work = assign(classroom, teacher, course, days=10)
    assert kinds(ming) == [OPENED] and kinds(hong) == [OPENED]
    assert [m.to for m in mailoutbox] == [["ming@example.com"]]
    mail = mailoutbox[0]
    assert mail.subject.startswith("[质量学堂]") and course.title in mail.subject
    assert "王小明" in mail.body and "/dashboard/" in mail.body

    # Run again (a retried task, the cron sweep): nothing is recorded or sent twice.
    send_assignment_notices.enqueue(work.pk, OPENED)
    call_command("send_assignment_notices", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Notification.objects.filter(kind=OPENED).count() == 2
    assert len(mailoutbox) == 1


def test_due_soon_goes_only_to_those_not_done_and_only_inside_the_last_three_days(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    teacher, classroom, course, ming, _hong = world
    with django_capture_on_commit_callbacks(execute=True):
        soon = assign(classroom, teacher, course, days=2)
        later = assign(classroom, teacher, course, days=10)
    assert kinds(ming) == [DUE_SOON, OPENED, OPENED]
    assert not Notification.objects.filter(assignment=later, kind=DUE_SOON).exists()
    assert Notification.objects.filter(assignment=soon, kind=DUE_SOON).count() == 2


def test_a_learner_who_is_done_gets_no_notice(world, mailoutbox):
    teacher, classroom, course, ming, hong = world
    work = assign(classroom, teacher, course, days=2)
    enrolment = learning.enrol(ming, course)
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["completed_at"])
    notifications.send_automatic(work.pk, DUE_SOON)
    assert kinds(ming) == [] and kinds(hong) == [DUE_SOON]
    assert mailoutbox == []  # 李小红 has no address: her notice is on the dashboard only


def test_withdrawn_not_yet_open_or_archived_work_sends_nothing(world, mailoutbox):
    teacher, classroom, course, _ming, _hong = world
    future = assign(classroom, teacher, course, days=10, opened_days_ago=-2)
    assert notifications.send_automatic(future.pk, OPENED) == 0
    withdrawn = assign(classroom, teacher, course, days=2)
    withdrawn_pk = withdrawn.pk
    services.delete_assignment(withdrawn)
    assert notifications.send_automatic(withdrawn_pk, DUE_SOON) == 0
    open_now = assign(classroom, teacher, course, days=2)
    services.archive(classroom)
    assert notifications.send_automatic(open_now.pk, OPENED) == 0
    assert not Notification.objects.exists() and mailoutbox == []


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_a_queue_that_can_wait_holds_each_notice_until_it_is_due(
    world, django_capture_on_commit_callbacks
):
    teacher, classroom, course, _ming, _hong = world
    with django_capture_on_commit_callbacks(execute=True):
        work = assign(classroom, teacher, course, days=10, opened_days_ago=-2)
    queued = {r.args[1]: r.task.run_after for r in task_backends["default"].results}
    assert queued == {OPENED: work.opens_at, DUE_SOON: work.due_at - timedelta(days=3)}
    assert not Notification.objects.exists()  # nothing is sent before its time


def test_the_sweep_sends_what_the_immediate_queue_could_not_hold(world, mailoutbox):
    teacher, classroom, course, ming, _hong = world
    work = assign(classroom, teacher, course, days=10, opened_days_ago=-1)
    assert not Notification.objects.exists()
    Assignment.objects.filter(pk=work.pk).update(
        opens_at=timezone.now() - timedelta(minutes=5), due_at=timezone.now() + timedelta(days=2)
    )
    call_command("send_assignment_notices", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert kinds(ming) == [DUE_SOON, OPENED]
    assert len(mailoutbox) == 2


def test_teacher_reminds_those_not_done_once_an_hour(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    teacher, classroom, course, ming, hong = world
    work = assign(classroom, teacher, course, days=5)
    enrolment = learning.enrol(hong, course)
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["completed_at"])
    client.force_login(teacher)
    page = client.get(f"/classes/{classroom.pk}/").content.decode()
    assert "提醒未完成的人" in page
    url = f"/classes/{classroom.pk}/assignments/{work.pk}/remind/"

    unconfirmed = client.post(url, follow=True)
    assert not Notification.objects.exists()
    assert "请先" in unconfirmed.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "1"}, follow=True)
    assert "已向 1 位" in response.content.decode()
    reminder = Notification.objects.get(kind=REMINDER)
    assert reminder.recipient == ming and reminder.sent_by == teacher
    assert [m.to for m in mailoutbox] == [["ming@example.com"]]
    assert "周老师" in mailoutbox[0].body

    again = client.post(url, {"confirm": "1"}, follow=True)
    assert "一小时" in again.content.decode()
    assert Notification.objects.filter(kind=REMINDER).count() == 1

    Notification.objects.update(created_at=timezone.now() - timedelta(hours=2))
    client.post(url, {"confirm": "1"})
    assert Notification.objects.filter(kind=REMINDER).count() == 2


def test_reminders_need_the_teachers_own_class_and_a_csrf_token(world, client):
    teacher, classroom, course, _ming, _hong = world
    work = assign(classroom, teacher, course, days=5)
    other_school = make_school("另一所中学")
    other = make_teacher(other_school, real_name="吴老师")
    other_class = make_class(other_school, other, name="初一（1）班")
    client.force_login(other)
    assert client.post(f"/classes/{classroom.pk}/assignments/{work.pk}/remind/").status_code == 404
    assert (
        client.post(
            f"/classes/{other_class.pk}/assignments/{work.pk}/remind/", {"confirm": "1"}
        ).status_code
        == 404
    )
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(teacher)
    url = f"/classes/{classroom.pk}/assignments/{work.pk}/remind/"
    assert strict.post(url, {"confirm": "1"}).status_code == 403
    assert not Notification.objects.exists()


def test_the_dashboard_lists_notifications_newest_first_and_marks_them_read(world, client):
    teacher, classroom, course, ming, hong = world
    first = assign(classroom, teacher, course, days=10)
    notifications.send_automatic(first.pk, OPENED)
    second = assign(classroom, teacher, course, days=2)
    notifications.send_automatic(second.pk, DUE_SOON)
    Notification.objects.filter(kind=OPENED).update(created_at=timezone.now() - timedelta(hours=1))
    client.force_login(ming)
    html = client.get("/dashboard/").content.decode()
    assert "通知" in html and "2 条新通知" in html
    assert html.index("即将截止") < html.index("学习任务已开放")
    assert html.count('class="unread"') == 2

    assert client.post("/dashboard/notifications/read/").status_code == 302
    html = client.get("/dashboard/").content.decode()
    assert 'class="unread"' not in html and html.count('class="read"') == 2
    assert "全部标为已读" not in html
    # Another learner's notifications are untouched by it.
    assert Notification.objects.filter(recipient=hong, read_at__isnull=True).count() == 2


def test_mark_all_read_needs_post_and_sign_in(client):
    assert client.post("/dashboard/notifications/read/").status_code == 302
    client.force_login(make_user())
    assert client.get("/dashboard/notifications/read/").status_code == 405


def test_the_personal_data_export_lists_ones_own_notifications(world):
    teacher, classroom, course, ming, hong = world
    work = assign(classroom, teacher, course, days=2)
    notifications.send_automatic(work.pk, DUE_SOON)
    data = personal_data(ming)
    assert [n["kind"] for n in data["notifications"]] == [DUE_SOON]
    assert data["notifications"][0]["assignment"] == course.title
    assert data["calendar_address"] is False
    assert len(personal_data(hong)["notifications"]) == 1


def test_no_reminder_before_the_assignment_opens(world, client):
    teacher, classroom, course, _ming, _hong = world
    later = assign(classroom, teacher, course, days=9, opened_days_ago=-1)
    client.force_login(teacher)
    assert "提醒未完成的人" not in client.get(f"/classes/{classroom.pk}/").content.decode()
    url = f"/classes/{classroom.pk}/assignments/{later.pk}/remind/"
    response = client.post(url, {"confirm": "1"}, follow=True)
    assert "还没有开放" in response.content.decode()
    assert not Notification.objects.exists()


def test_the_quiz_assignment_page_offers_the_reminder_too(world, client):
    teacher, classroom, course, _ming, _hong = world
    quiz = QuizPage.objects.child_of(course).get()
    work = assign(classroom, teacher, course, quiz, days=4)
    client.force_login(teacher)
    page = client.get(f"/classes/{classroom.pk}/assignments/{work.pk}/").content.decode()
    assert f'action="/classes/{classroom.pk}/assignments/{work.pk}/remind/"' in page


def test_an_english_teacher_reminding_one_pupil_reads_one_learner(
    world, client, django_capture_on_commit_callbacks
):
    """The message said "sent to 1 learners"."""
    teacher, classroom, course, _ming, hong = world
    work = assign(classroom, teacher, course, days=5)
    enrolment = learning.enrol(hong, course)
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["completed_at"])
    client.force_login(teacher)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = f"/classes/{classroom.pk}/assignments/{work.pk}/remind/"
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, {"confirm": "1"}, follow=True).content.decode()
    assert "A reminder was sent to the 1 learner who has not completed it." in page
