"""Grade passback (Assignment and Grade Services) to the independent platform of
tests/lti/platform.py over the live server: the score that arrives at the platform's line
item, the line item we create when the launch names only the line-items address, a platform
that is down and the worker's retry, and a score the platform refuses."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cms.setup import ensure_site_tree
from courses import services as learning
from courses.models import Response
from courses.quiz import attempts
from lti.models import GradeLink, PassbackState, ScorePassback, UsedNonce
from tests.accounts.factories import make_user
from tests.certificates.helpers import finish, lessons_course
from tests.courses.learning_helpers import RIGHT, WRONG, quiz_course
from tests.lti.conftest import launch, register
from tests.lti.platform import Platform

pytestmark = pytest.mark.django_db(transaction=True)

ALICE = {"sub": "moodle-user-17", "name": "王小明"}
SCORE_TASK = "lti.tasks.send_score"


@pytest.fixture
def site(live_server):
    ensure_site_tree()
    return live_server.url


@pytest.fixture
def platform(site):
    platform = Platform(site)
    register(platform)
    yield platform
    platform.close()


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def launched_account(browser, site, platform, page, **kwargs):
    response, _ = launch(browser, site, platform, page.full_url, ALICE, **kwargs)
    assert response.status_code == 302, response.text[:300]
    assert response.headers["Location"] == page.url
    return GradeLink.objects.get(user__lti_account__lti_user__sub=ALICE["sub"]).user


def take_quiz(user, course, quiz, answers):
    learning.enrol(user, course)
    attempt = attempts.start_attempt(user, quiz)
    for key, answer in answers.items():
        version = Response.objects.get(attempt=attempt, question_key=key).version
        attempts.save_answer(attempt, key, answer, version)
    attempts.submit_attempt(attempt)
    attempt.refresh_from_db()
    return attempt


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_a_graded_quiz_reaches_the_line_item_once_after_the_platform_comes_back(
    site, platform, browser, tmp_path, database_queue, admin_client
):
    course, quiz = quiz_course(tmp_path)
    line = platform.add_lineitem(label="结业测验", scoreMaximum=100, resourceLinkId="link-1")
    user = launched_account(
        browser, site, platform, quiz, custom={"page": str(quiz.pk)}, ags=line["id"]
    )
    # The nonce row keeps the token's expiry (the platform's tokens live 300 s).
    nonce = UsedNonce.objects.get()
    assert timedelta(seconds=200) < nonce.expires_at - timezone.now() <= timedelta(seconds=300)

    platform.down = True
    answers = {**RIGHT, "q-tools": WRONG["q-tools"]}  # three of four right
    attempt = take_quiz(user, course, quiz, answers)
    assert float(attempt.score) == 75.0
    passback = ScorePassback.objects.get()
    assert passback.state == PassbackState.WAITING  # queued, not sent by the request
    assert DBTaskResult.objects.filter(task_path=SCORE_TASK).count() == 1

    run_worker()
    passback.refresh_from_db()
    assert platform.scores == []
    assert passback.state == PassbackState.WAITING
    assert passback.attempts == 1
    assert "503" in passback.last_error
    assert passback.next_try_at > timezone.now()
    retry = DBTaskResult.objects.filter(task_path=SCORE_TASK, status="READY").get()
    assert abs(retry.run_after - passback.next_try_at) < timedelta(seconds=1)

    # The platform is back; the back-off has passed.
    platform.down = False
    ScorePassback.objects.update(next_try_at=timezone.now())
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    passback.refresh_from_db()
    assert passback.state == PassbackState.SENT and passback.attempts == 2
    assert passback.last_error == ""
    [(line_id, score)] = platform.scores
    assert line_id == line["id"]
    assert score["scoreGiven"] == 75.0
    assert score["scoreMaximum"] == 100.0
    assert score["userId"] == ALICE["sub"]
    assert (score["activityProgress"], score["gradingProgress"]) == ("Completed", "FullyGraded")

    # Nothing sends it again: the worker, the cron command, a second save of the grade.
    run_worker()
    call_command("send_lti_scores", verbosity=0)
    attempt.save(update_fields=["status", "score", "passed"])
    run_worker()
    assert len(platform.scores) == 1
    assert ScorePassback.objects.count() == 1

    # Administrators see it, with its tries.
    page = admin_client.get("/admin/lti/passbacks/").content.decode()
    assert "王小明" in page and quiz.title in page and "75.00 / 100.00" in page
    assert (
        admin_client.get("/admin/lti/passbacks/?state=waiting")
        .content.decode()
        .count("75.00 / 100.00")
        == 0
    )


def test_a_completed_course_creates_its_line_item_and_gets_full_marks(
    site, platform, browser, tmp_path
):
    course = lessons_course(tmp_path)
    user = launched_account(
        browser, site, platform, course, custom={"page": str(course.pk)}, ags="lineitems"
    )
    assert platform.lineitems == {}

    finish(user, course)  # the immediate queue sends once the completion commits

    [line] = platform.lineitems.values()
    assert line["resourceId"] == f"page-{course.pk}"
    assert line["resourceLinkId"] == "link-1"
    assert line["scoreMaximum"] == 100
    assert line["label"] == course.title
    [(line_id, score)] = platform.scores
    assert line_id == line["id"]
    assert (score["scoreGiven"], score["scoreMaximum"]) == (100.0, 100.0)
    assert GradeLink.objects.get().lineitem == line["id"]  # created once, remembered


def test_no_passback_without_the_claim_and_a_refused_score_is_not_retried(
    site, platform, browser, tmp_path
):
    course = lessons_course(tmp_path)
    # Without the AGS claim: the course is learned, nothing goes back.
    bob = {"sub": "moodle-user-18", "name": "李华"}
    response, _ = launch(
        browser, site, platform, course.full_url, bob, custom={"page": str(course.pk)}
    )
    assert response.status_code == 302
    assert not GradeLink.objects.exists()
    finish(make_user(real_name="赵六"), course)  # someone who never launched
    assert not ScorePassback.objects.exists()

    # A line item the platform no longer has: refused for good, the error kept.
    with type(browser)() as other:
        user = launched_account(
            other,
            site,
            platform,
            course,
            custom={"page": str(course.pk)},
            ags=f"{platform.lineitems_url}/99",
        )
    finish(user, course)
    passback = ScorePassback.objects.get()
    assert passback.state == PassbackState.REFUSED
    assert "404" in passback.last_error and passback.attempts == 1
    call_command("send_lti_scores", verbosity=0)
    passback.refresh_from_db()
    assert passback.attempts == 1 and platform.scores == []
