"""Each learner's private calendar of due dates."""

import re

import pytest
from django.conf import settings
from icalendar import Calendar

from classrooms.models import AssignmentAudience, CalendarFeed
from tests.accounts.factories import add_member, make_organisation, make_user
from tests.classrooms.helpers import (
    assign,
    make_class,
    make_pupil,
    make_school,
    make_teacher,
    school_module,
)
from training import assignments as staff_work

pytestmark = pytest.mark.django_db


def calendar_address(client, user):
    client.force_login(user)
    page = client.post("/dashboard/calendar/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    return re.search(r'value="https?://[^/]+(/calendar/[^"]+\.ics)"', page.content.decode())[1]


def events(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return {e["UID"]: e for e in Calendar.from_ical(response.content).walk("VEVENT")}


def test_the_feed_lists_each_open_assignment_due_date_and_only_the_owners(
    client, catalog, tmp_path
):
    school = make_school()
    teacher = make_teacher(school)
    classroom = make_class(school, teacher)
    course, quiz = school_module(tmp_path)
    pupil = make_pupil(school, classroom, real_name="王小明")
    class_work = assign(classroom, teacher, course, quiz, days=5)
    assign(classroom, teacher, course, days=9, opened_days_ago=-1)  # not open yet
    organisation = make_organisation()
    add_member(organisation, pupil)
    manager = make_user(real_name="陈经理")
    staff = staff_work.assign(
        organisation,
        manager,
        course=course,
        opens_at=class_work.opens_at,
        due_at=class_work.due_at,
        audience=AssignmentAudience.LEARNERS,
        user_ids=[pupil.pk],
    )
    path = calendar_address(client, pupil)
    client.logout()  # a calendar app has no session: the secret address is enough
    found = events(client, path)
    host = settings.WAGTAILADMIN_BASE_URL.split("://")[-1].rstrip("/")
    assert set(found) == {f"assignment-{class_work.pk}@{host}", f"assignment-{staff.pk}@{host}"}
    event = found[f"assignment-{class_work.pk}@{host}"]
    due = class_work.due_at.replace(microsecond=0)  # iCalendar counts whole seconds
    assert event.start == due and event.end == due
    assert event["SUMMARY"] == f"截止：{class_work.title}"
    assert event["URL"].endswith("/dashboard/")

    # Someone else's address shows only their own work.
    other = make_pupil(school, real_name="李小红")
    assert events(client, calendar_address(client, other)) == {}


def test_a_new_address_ends_the_old_one_and_wrong_tokens_are_not_found(client, db):
    learner = make_user()
    old = calendar_address(client, learner)
    new = calendar_address(client, learner)
    assert old != new
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    # Only a hash is kept: the token itself is nowhere in the database.
    token = new.rsplit("/", 1)[1].removesuffix(".ics")
    assert CalendarFeed.objects.get(user=learner).token_hash != token


def test_making_an_address_needs_sign_in_and_post(client, db):
    assert client.post("/dashboard/calendar/").status_code == 302
    client.force_login(make_user())
    assert client.get("/dashboard/calendar/").status_code == 405
    assert not CalendarFeed.objects.exists()
