"""Deep linking: a teacher in the platform picks our quiz, and the platform (lti1p3platform)
verifies the returned JWT against the key set our live server publishes."""

import html
import re

import jwt as pyjwt
import pytest
from django.core.management import call_command
from lti_tool.models import Key
from wagtail.models import Page

from lti.models import PlatformAccount
from tests.lti.conftest import launch
from tests.lti.platform import INSTRUCTOR, LEARNER

pytestmark = pytest.mark.django_db(transaction=True)

TEACHER = {"sub": "moodle-teacher-3", "name": "李老师"}
PUPIL = {"sub": "moodle-pupil-9", "name": "张同学"}


def pick(browser, tool, platform, page):
    picker, _ = launch(
        browser, tool, platform, f"{tool}/lti/launch/", TEACHER, roles=(INSTRUCTOR,), deep_link=True
    )
    assert picker.status_code == 200
    assert html.escape(page.title) in picker.text
    token = html.unescape(re.search(r'name="token" value="([^"]+)"', picker.text).group(1))
    return token, browser.post(
        f"{tool}/lti/deep-link/", data={"token": token, "page": page.pk}, allow_redirects=False
    )


def returned_jwt(response, platform):
    assert response.status_code == 200
    action = html.unescape(
        re.search(r'action="([^"]+)">\s*<input type="hidden" name="JWT"', response.text).group(1)
    )
    assert action == f"{platform.url}/deep-link-return"
    return html.unescape(re.search(r'name="JWT" value="([^"]+)"', response.text).group(1))


def test_the_chosen_quiz_returns_signed_and_launches(tool, platform, quiz, browser):
    _, chosen = pick(browser, tool, platform, quiz)
    jwt = returned_jwt(chosen, platform)

    items, claims = platform.verify_deep_link(jwt)
    assert claims["iss"] == platform.client_id
    assert claims["aud"] == [platform.issuer]
    assert claims["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] == (
        platform.deployment_id
    )
    assert len(items) == 1
    item = items[0]
    assert item["type"] == "ltiResourceLink"
    assert item["title"] == quiz.title
    assert item["url"] == f"{tool}/lti/launch/"
    assert item["custom"] == {"page": str(quiz.pk)}
    assert item["lineItem"]["scoreMaximum"] == 100

    # A pupil launching the link the platform stored lands on the quiz.
    with type(browser)() as pupil_browser:
        landed, _ = launch(pupil_browser, tool, platform, item["url"], PUPIL, custom=item["custom"])
    assert landed.status_code == 302
    assert landed.headers["Location"] == quiz.url


def test_after_key_rotation_the_new_key_signs_and_the_old_stays_published(
    tool, platform, quiz, browser
):
    browser.get(f"{tool}/lti/jwks.json")
    old = Key.objects.get()
    call_command("rotate_lti_keys", "--retire-after", "30")
    keys = browser.get(f"{tool}/lti/jwks.json").json()["keys"]
    assert {key["kid"] for key in keys} == {str(key) for key in Key.objects.all()}
    assert len(keys) == 2 and all(key["alg"] == "RS256" for key in keys)

    _, chosen = pick(browser, tool, platform, quiz)
    jwt = returned_jwt(chosen, platform)
    items, _ = platform.verify_deep_link(jwt)
    assert items[0]["custom"] == {"page": str(quiz.pk)}
    assert pyjwt.get_unverified_header(jwt)["kid"] != str(old)

    # Older than the retirement age, the old key leaves the published set.
    call_command("rotate_lti_keys", "--retire-after", "0")
    kids = {key["kid"] for key in browser.get(f"{tool}/lti/jwks.json").json()["keys"]}
    assert str(old) not in kids and len(kids) == 1


def test_a_learner_cannot_open_the_picker(tool, platform, browser):
    response, _ = launch(
        browser, tool, platform, f"{tool}/lti/launch/", PUPIL, roles=(LEARNER,), deep_link=True
    )
    assert response.status_code == 403
    assert 'name="token"' not in response.text
    assert not PlatformAccount.objects.exists()


def test_a_forged_or_foreign_choice_is_refused(tool, platform, quiz, course, browser):
    token, _ = pick(browser, tool, platform, quiz)
    forged = browser.post(f"{tool}/lti/deep-link/", data={"token": token + "x", "page": quiz.pk})
    assert forged.status_code == 400
    assert 'name="JWT"' not in forged.text
    # A page id that is not one of our courses or quizzes (the site's home page).
    home = Page.objects.get(depth=2)
    not_ours = browser.post(f"{tool}/lti/deep-link/", data={"token": token, "page": home.pk})
    assert not_ours.status_code == 400
    assert 'name="JWT"' not in not_ours.text
    garbage = browser.post(f"{tool}/lti/deep-link/", data={"token": token, "page": "1; drop"})
    assert garbage.status_code == 400
