"""Forwarding end to end against a real Ralph LRS: a learner's journey ends in Ralph, found by
verb and activity; Ralph stopped mid-run loses nothing, and nothing reaches it twice."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from courses.quiz import attempts
from tests.accounts.factories import make_user
from tests.xapi.helpers import journey_course, walk
from tests.xapi.ralph_lrs import PASSWORD, USER, RalphLRS
from xapi import forwarding, identity
from xapi.models import Statement

pytestmark = pytest.mark.django_db

ADL = "http://adlnet.gov/expapi/verbs/"


@pytest.fixture
def ralph(tmp_path, settings):
    lrs = RalphLRS(tmp_path / "ralph").start()
    settings.XAPI_ENDPOINT = lrs.endpoint
    settings.XAPI_KEY = USER
    settings.XAPI_SECRET = PASSWORD
    yield lrs
    lrs.stop()


@pytest.fixture
def course(tmp_path, catalog):
    return journey_course(tmp_path)


def later():
    """Past any back-off of the statements that failed just now."""
    return timezone.now() + forwarding.LONGEST_WAIT + timedelta(minutes=1)


def test_the_journey_reaches_ralph_and_an_outage_loses_nothing(client, course, ralph):
    course_page, lessons, quiz = course
    first = make_user()
    walk(client, first, course_page, lessons, quiz)
    # A third attempt started and left open: its start is recorded and forwarded too.
    abandoned = attempts.start_attempt(first, quiz)
    written = Statement.objects.count()
    assert written == 24

    outcome = forwarding.forward(batch_size=10)
    assert (outcome.sent, outcome.failed) == (written, 0)
    assert not Statement.objects.waiting().exists()

    site = "http://testserver"
    passed = ralph.get(verb=ADL + "passed", activity=site + quiz.url)
    assert [s["id"] for s in passed] == [str(Statement.objects.get(user=first, verb="passed").pk)]
    assert passed[0]["result"]["score"]["scaled"] == 1.0
    assert len(ralph.get(verb=ADL + "failed", activity=site + quiz.url)) == 1
    assert len(ralph.get(verb=ADL + "completed", activity=site + course_page.url)) == 1
    assert len(ralph.get(verb=ADL + "registered", activity=site + course_page.url)) == 1
    assert len(ralph.get(verb=ADL + "completed", activity=site + lessons[0].url)) == 1
    question = f"{site}{quiz.url}#question-q-match"
    answers = ralph.get(verb=ADL + "answered", activity=question)
    assert sorted(a["result"]["success"] for a in answers) == [False, True]
    # Three starts, found by verb and quiz; the grades name theirs as context.statement.
    started = ralph.get(verb=ADL + "attempted", activity=site + quiz.url)
    assert sorted(s["id"] for s in started) == sorted(
        str(pk)
        for pk in Statement.objects.filter(user=first, verb="attempted").values_list(
            "pk", flat=True
        )
    )
    assert len(started) == 3
    assert identity.attempt_statement_id(abandoned.pk) in {s["id"] for s in started}
    assert passed[0]["context"]["statement"]["id"] in {s["id"] for s in started}
    earned = ralph.get(verb="http://id.tincanapi.com/verb/earned")
    assert [e["object"]["id"] for e in earned] == [f"{site}{course_page.url}#certificate"]

    # The LRS goes away in the middle of the day; learning goes on and is recorded.
    ralph.stop()
    second = make_user()
    walk(client, second, course_page, lessons, quiz)
    outcome = forwarding.forward(batch_size=10)
    assert outcome.sent == 0 and outcome.failed == 10
    waiting = Statement.objects.waiting()
    assert waiting.count() == 23
    failing = waiting.filter(attempts=1)
    assert failing.count() == 10
    assert all(s.next_try_at > timezone.now() for s in failing)
    assert "refused" in failing.first().last_error.lower()
    ralph.start()
    outcome = forwarding.forward(batch_size=10, now=later())
    assert (outcome.sent, outcome.failed) == (23, 0)

    # A reply lost after the LRS stored a batch: the batch goes again and is stored once.
    resent = list(Statement.objects.filter(user=second).order_by("created_at")[:7])
    Statement.objects.filter(pk__in=[s.pk for s in resent]).update(sent_at=None)
    assert forwarding.forward(batch_size=5, now=later()).sent == 7

    stored = ralph.stored()
    ids = [s["id"] for s in stored]
    assert len(ids) == len(set(ids)) == Statement.objects.count() == 47
    assert set(ids) == {str(pk) for pk in Statement.objects.values_list("pk", flat=True)}
    assert len(ralph.get(verb=ADL + "passed", activity=site + quiz.url)) == 2


def test_a_statement_the_lrs_refuses_does_not_hold_back_the_others(client, course, ralph):
    course_page, lessons, quiz = course
    learner = make_user()
    walk(client, learner, course_page, lessons[:1], quiz)
    bad = Statement.objects.filter(user=learner).order_by("created_at")[2]
    # Ralph checks little beyond the actor, verb and object; an actor with two identifiers
    # is refused (xAPI: exactly one inverse functional identifier).
    broken = dict(bad.data, actor={**bad.data["actor"], "mbox": "mailto:x@example.org"})
    Statement.objects.filter(pk=bad.pk).update(data=broken)

    outcome = forwarding.forward(batch_size=50)
    assert outcome.failed == 1
    assert outcome.sent == Statement.objects.count() - 1
    bad.refresh_from_db()
    assert bad.sent_at is None and bad.attempts == 1 and bad.last_error.startswith("HTTP 4")
    assert str(bad.pk) not in {s["id"] for s in ralph.stored()}
    assert len(ralph.stored()) == outcome.sent


def test_send_xapi_command_forwards_and_refuses_without_configuration(
    client, course, ralph, settings, capsys
):
    course_page, lessons, quiz = course
    learner = make_user()
    walk(client, learner, course_page, lessons[:1], quiz)
    call_command("send_xapi", "--batch-size", "4")
    assert f"sent {Statement.objects.count()}, failed 0" in capsys.readouterr().out
    assert len(ralph.stored()) == Statement.objects.count()
    settings.XAPI_SECRET = ""
    with pytest.raises(CommandError, match="XAPI_ENDPOINT"):
        call_command("send_xapi")
