"""Statements are personal data: they are in the person's export and the unsent ones go with
the account. Administrators see the outbox's state; nobody else does."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services as account_services
from courses import services as learning
from tests.accounts.factories import make_user
from tests.xapi.helpers import journey_course
from xapi import forwarding
from xapi.models import Statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(tmp_path, catalog):
    return journey_course(tmp_path)


def learn(user, course):
    course_page, lessons, _ = course
    enrolment = learning.enrol(user, course_page)
    learning.complete_lesson(enrolment, lessons[0])
    return list(Statement.objects.filter(user=user).order_by("created_at", "id"))


def test_the_export_holds_the_persons_statements_and_no_one_elses(course):
    learner, other = make_user(), make_user()
    mine = learn(learner, course)
    learn(other, course)
    Statement.objects.filter(pk=mine[0].pk).update(sent_at=timezone.now())
    exported = account_services.personal_data(learner)["xapi_statements"]
    assert [e["statement"]["id"] for e in exported] == [str(s.pk) for s in mine]
    assert [e["statement"]["verb"]["display"]["en-US"] for e in exported] == [
        "registered",
        "experienced",
        "completed",
    ]
    assert exported[0]["sent_at"] is not None and exported[1]["sent_at"] is None


def test_deleting_the_account_deletes_what_was_not_sent(course):
    learner, other = make_user(), make_user()
    mine = learn(learner, course)
    theirs = learn(other, course)
    sent = mine[0]
    Statement.objects.filter(pk=sent.pk).update(sent_at=timezone.now())
    account_services.delete_account(learner)
    # What left the platform is at the LRS; the copy here no longer links to anyone.
    assert list(Statement.objects.filter(pk__in=[s.pk for s in mine])) == [sent]
    sent.refresh_from_db()
    assert sent.user_id is None
    assert Statement.objects.filter(user=other).count() == len(theirs)


def test_administrators_see_the_outbox_state_and_others_are_refused(client, course, settings):
    learner = make_user()
    rows = learn(learner, course)
    now = timezone.now()
    Statement.objects.filter(pk=rows[0].pk).update(sent_at=now)
    Statement.objects.filter(pk=rows[1].pk).update(
        attempts=3, next_try_at=now + timedelta(minutes=4), last_error="HTTP 503: LRS down"
    )
    settings.XAPI_ENDPOINT = "https://lrs.example.org/xapi"
    settings.XAPI_KEY, settings.XAPI_SECRET = "key", "secret"

    client.force_login(learner)
    assert client.get("/admin/xapi/").status_code in (302, 403)
    staff = make_user(is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/xapi/").status_code in (302, 403)

    client.force_login(make_user(is_superuser=True, is_staff=True))
    page = client.get("/admin/xapi/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-count="waiting">2<' in text
    assert 'data-count="sent">1<' in text
    assert 'data-count="failing">1<' in text
    assert "HTTP 503: LRS down" in text
    assert "https://lrs.example.org/xapi" in text
    # No statement's content is shown, nor whose it is.
    assert rows[2].data["actor"]["account"]["name"] not in text
    assert "/admin/xapi/" in client.get("/admin/").content.decode()


def test_the_back_off_doubles_and_stops_at_six_hours():
    waits = [forwarding.backoff(n) for n in (1, 2, 3, 20)]
    assert waits == [
        timedelta(seconds=30),
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(hours=6),
    ]


def test_without_a_configured_lrs_nothing_is_sent_and_everything_waits(course, settings):
    settings.XAPI_ENDPOINT = ""
    learner = make_user()
    learn(learner, course)
    outcome = forwarding.forward()
    assert outcome.sent == 0 and outcome.error == "not configured"
    assert Statement.objects.waiting().filter(user=learner, attempts=0).count() == 3
