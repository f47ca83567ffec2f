from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from classrooms.models import Assignment
from courses import services as learning
from courses.models import Enrolment, EnrolmentSource, LessonPage
from tests.accounts.factories import add_member, make_organisation, make_user
from tests.certificates.helpers import lessons_course


@pytest.fixture
def enterprise(db, tmp_path):
    manager = make_user("boss2", real_name="陈经理")
    organisation = make_organisation(manager=manager)
    course = lessons_course(tmp_path, slug="assigned-course", title="班组长质量管理")
    qc = [
        add_member(organisation, make_user(real_name=n), department="质检部") for n in ("甲", "乙")
    ]
    line = [add_member(organisation, make_user(real_name="丙"), department="装配车间")]
    return manager, organisation, course, qc, line


def post_assignment(client, course, **extra):
    now = timezone.localtime()
    data = {
        "course": course.pk,
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "due_at": (now + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"),
        "to": "all",
        **extra,
    }
    return client.post(reverse("staff_assignments"), data)


def test_assign_to_a_department_reaches_only_it(client, enterprise):
    manager, _organisation, course, qc, _line = enterprise
    client.force_login(manager)
    post_assignment(client, course, to="department", department="质检部")
    assignment = Assignment.objects.get()
    rows = client.get(reverse("staff_assignment", args=[assignment.pk])).context["rows"]
    assert {m.user for m, _cell in rows} == {m.user for m in qc}
    page = client.get(reverse("staff_assignment", args=[assignment.pk])).content.decode()
    assert "甲" in page and "乙" in page and "丙" not in page


def test_all_staff_and_chosen_people(client, enterprise):
    manager, organisation, course, _qc, line = enterprise
    client.force_login(manager)
    post_assignment(client, course)
    everyone = Assignment.objects.get()
    rows = client.get(reverse("staff_assignment", args=[everyone.pk])).context["rows"]
    # Everyone but the training manager, who is reached only when chosen.
    staff = organisation.memberships.exclude(user=manager)
    assert {m.user for m, _cell in rows} == {m.user for m in staff}
    post_assignment(client, course, to="chosen", members=[line[0].pk], anyway="1")
    chosen = Assignment.objects.exclude(pk=everyone.pk).get()
    assert list(chosen.recipients.all()) == [line[0].user]


@pytest.mark.parametrize(
    "extra",
    [
        {"due_at": "2020-01-01T00:00"},
        {"to": "department", "department": ""},
        {"to": "chosen"},
    ],
)
def test_bad_assignments_change_nothing(client, enterprise, extra):
    manager, _organisation, course, _qc, _line = enterprise
    client.force_login(manager)
    response = post_assignment(client, course, **extra)
    assert response.status_code == 200
    assert not Assignment.objects.exists()


def test_someone_from_another_organisation_cannot_be_chosen(client, enterprise):
    manager, _organisation, course, _qc, _line = enterprise
    stranger = add_member(make_organisation(), make_user(real_name="外人"))
    client.force_login(manager)
    response = post_assignment(client, course, to="chosen", members=[stranger.pk])
    assert response.status_code == 200 and not Assignment.objects.exists()


def test_the_learner_sees_it_on_the_dashboard_starts_and_the_status_follows(client, enterprise):
    manager, _organisation, course, qc, _line = enterprise
    client.force_login(manager)
    post_assignment(client, course, to="department", department="质检部")
    assignment = Assignment.objects.get()
    learner = qc[0].user
    client.force_login(learner)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "班组长质量管理" in dashboard
    response = client.post(reverse("staff_assignment_start", args=[assignment.pk]))
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=learner, course=course)
    assert enrolment.source == EnrolmentSource.ORGANISATION
    for lesson in LessonPage.objects.child_of(course).live():
        learning.complete_lesson(enrolment, lesson)
    client.force_login(manager)
    rows = client.get(reverse("staff_assignment", args=[assignment.pk])).context["rows"]
    status = {m.user.real_name: cell.status for m, cell in rows}
    assert status == {"甲": "completed", "乙": "not_started"}
    export = client.get(reverse("staff_assignment", args=[assignment.pk]), {"format": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "甲" in text and "乙" in text


def test_a_learner_of_no_organisation_is_spared_the_query_until_joining_one(client, enterprise):
    manager, organisation, course, _qc, _line = enterprise
    client.force_login(manager)
    post_assignment(client, course)  # all staff
    newcomer = make_user(real_name="丁")
    client.force_login(newcomer)
    client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("dashboard")).content.decode()
    assert not [q for q in ctx.captured_queries if 'FROM "classrooms_assignment"' in q["sql"]]
    assert "班组长质量管理" not in page
    # Taken on as staff (as a manager's import does): the next dashboard shows the training.
    add_member(organisation, newcomer)
    assert "班组长质量管理" in client.get(reverse("dashboard")).content.decode()


def test_other_organisations_assignments_are_404(client, enterprise):
    manager, _organisation, course, _qc, _line = enterprise
    client.force_login(manager)
    post_assignment(client, course)
    assignment = Assignment.objects.get()
    other_manager = make_user("boss3")
    make_organisation(manager=other_manager)
    client.force_login(other_manager)
    assert client.get(reverse("staff_assignment", args=[assignment.pk])).status_code == 404
    withdraw = reverse("staff_assignment_withdraw", args=[assignment.pk])
    assert client.post(withdraw, {"confirm": "1"}).status_code == 404
    dates = reverse("staff_assignment_dates", args=[assignment.pk])
    assert client.get(dates).status_code == 404
    assert client.post(dates, {"dates-opens_at": "2030-01-01T08:00"}).status_code == 404
    assert Assignment.objects.exists()
    outsider = make_user()
    client.force_login(outsider)
    assert client.post(reverse("staff_assignment_start", args=[assignment.pk])).status_code == 404
    assert not Enrolment.objects.filter(user=outsider).exists()


def test_withdrawing_keeps_learning_records(client, enterprise):
    manager, _organisation, course, qc, _line = enterprise
    client.force_login(manager)
    post_assignment(client, course)
    assignment = Assignment.objects.get()
    learning.enrol(qc[0].user, course)
    client.post(reverse("staff_assignment_withdraw", args=[assignment.pk]), {"confirm": "1"})
    assert not Assignment.objects.exists()
    assert Enrolment.objects.filter(user=qc[0].user, course=course).exists()
