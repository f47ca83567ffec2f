"""Launches from an independent LTI 1.3 platform (tests/lti/platform.py) to our live
server: the person gets an account of the platform's and lands on the course; every forged,
stale or foreign launch is refused with a page that says so and leaves nothing behind."""

import base64
import html
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from lti_tool.models import LtiContext, LtiRegistration, LtiResourceLink, LtiUser
from wagtail.models import Page

from lti.models import PlatformAccount, UsedNonce
from tests.lti.conftest import launch, post_launch, register, start_login
from tests.lti.platform import Platform, new_rsa_pem_pair

pytestmark = pytest.mark.django_db(transaction=True)

ALICE = {"sub": "moodle-user-17", "name": "王小明"}


def zh(text):
    """The text as the page shows it: in Chinese, HTML-escaped."""
    with translation.override("zh-hans"):
        return html.escape(str(translation.gettext(text)))


REFUSED = "This launch from your learning platform was refused"


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            get_user_model(),
            LtiUser,
            PlatformAccount,
            UsedNonce,
            LtiContext,
            LtiResourceLink,
        )
    }


def test_first_launch_creates_a_platform_account_and_lands_on_the_course(
    tool, platform, course, browser
):
    before = counts()
    response, _ = launch(browser, tool, platform, course.full_url, ALICE)

    assert response.status_code == 302
    assert response.headers["Location"] == course.url
    page = browser.get(f"{tool}{course.url}")
    assert page.status_code == 200
    assert course.title in page.text
    after = counts()
    assert after["User"] == before["User"] + 1
    account = PlatformAccount.objects.select_related("user", "lti_user").get()
    user = account.user
    assert account.lti_user.sub == ALICE["sub"]
    assert account.lti_user.registration.issuer == platform.issuer
    assert user.real_name == "王小明"
    assert not user.has_usable_password()
    assert not user.is_staff and not user.is_superuser
    assert user.email == ""
    # Signed in: the dashboard answers instead of sending the browser to sign in.
    dashboard = browser.get(f"{tool}/dashboard/", allow_redirects=False)
    assert dashboard.status_code == 200

    # The second launch of the same person, from a fresh browser, reuses the account.
    with type(browser)() as other_browser:
        again, _ = launch(other_browser, tool, platform, course.full_url, ALICE)
    assert again.status_code == 302
    assert again.headers["Location"] == course.url
    assert PlatformAccount.objects.get().user == user
    assert counts()["User"] == after["User"]


def test_custom_page_parameter_lands_on_the_quiz(tool, platform, course, quiz, browser):
    response, _ = launch(
        browser, tool, platform, f"{tool}/lti/launch/", ALICE, custom={"page": str(quiz.pk)}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == quiz.url


def test_a_link_to_no_course_of_ours_is_refused_not_redirected(tool, platform, browser):
    # A page that exists but is neither a course nor a quiz.
    home_id = Page.objects.get(depth=2).pk
    response, _ = launch(
        browser, tool, platform, "https://elsewhere.example/", ALICE, custom={"page": str(home_id)}
    )
    assert response.status_code == 404
    assert zh("The link in your platform points to no course or quiz here.") in response.text


def _refused(response, reason):
    assert response.status_code == 403, response.status_code
    assert zh(REFUSED) in response.text
    assert zh(reason) in response.text


def test_a_tampered_id_token_is_refused_and_creates_nothing(tool, platform, course, browser):
    before = counts()
    auth = start_login(browser, tool, platform, course.full_url)
    form = platform.id_token_for(auth, ALICE, course.full_url)
    header, body, signature = form["id_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["sub"] = "someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    form["id_token"] = f"{header}.{forged}.{signature}"

    _refused(post_launch(browser, form), "The launch's signature could not be verified.")
    assert counts() == before


def test_a_token_signed_with_another_key_is_refused(tool, platform, course, browser):
    before = counts()
    other_key, _ = new_rsa_pem_pair()
    response, _ = launch(browser, tool, platform, course.full_url, ALICE, signing_key=other_key)
    _refused(response, "The launch's signature could not be verified.")
    assert counts() == before


def test_an_expired_token_is_refused(tool, platform, course, browser):
    before = counts()
    response, _ = launch(browser, tool, platform, course.full_url, ALICE, expiration=-60)
    _refused(response, "The launch has expired. Start it again from your platform.")
    assert counts() == before


def test_a_replayed_launch_is_refused(tool, platform, course, browser):
    first, form = launch(browser, tool, platform, course.full_url, ALICE)
    assert first.status_code == 302
    after_first = counts()

    replay = post_launch(browser, form)
    _refused(
        replay,
        "This launch was already used or was not started here. Start it again from your platform.",
    )
    assert counts() == after_first


def test_a_token_from_a_foreign_issuer_is_refused(tool, platform, course, browser):
    before = counts()
    foreign = Platform(tool, issuer="https://lms.foreign.example", client_id=platform.client_id)
    try:
        # The registered platform's login, answered by a platform nobody registered.
        auth = start_login(browser, tool, platform, course.full_url)
        form = foreign.id_token_for(auth, ALICE, course.full_url)
        _refused(post_launch(browser, form), "This platform is not registered here.")
        # Nor may it start a login of its own.
        login = browser.get(
            f"{tool}/lti/login/",
            params=foreign.login_params(course.full_url),
            allow_redirects=False,
        )
        assert login.status_code == 403
        assert zh("This platform is not registered here.") in login.text
    finally:
        foreign.close()
    assert counts() == before


def test_an_unknown_deployment_is_refused(tool, platform, course, browser):
    before = counts()
    platform.registration.set_deployment_id("dep-nobody-registered")
    response, _ = launch(browser, tool, platform, course.full_url, ALICE)
    _refused(response, "This deployment of the platform is not registered here.")
    assert counts() == before


def test_an_inactive_registration_is_refused(tool, platform, course, browser):
    LtiRegistration.objects.update(is_active=False)
    before = counts()
    response = browser.get(
        f"{tool}/lti/login/", params=platform.login_params(course.full_url), allow_redirects=False
    )
    assert response.status_code == 403
    assert counts() == before


def test_blocked_third_party_cookies_offer_a_new_window(tool, platform, course, browser):
    """Inside the platform's iframe the browser drops the state cookie: the launch says
    so and links to the same login in a new window, where it completes."""
    before = counts()
    auth = start_login(browser, tool, platform, course.full_url)
    form = platform.id_token_for(auth, ALICE, course.full_url)
    browser.cookies.clear()

    response = post_launch(browser, form)
    assert response.status_code == 200
    assert zh("Your browser blocked this page inside your platform") in response.text
    assert 'target="_blank"' in response.text
    assert counts() == before

    link = html.unescape(re.search(r'href="(/lti/login/\?[^"]+)"', response.text).group(1))
    with type(browser)() as window:
        restart = window.get(f"{tool}{link}", allow_redirects=False)
        assert restart.status_code == 302
        form = platform.id_token_for(restart.headers["Location"], ALICE, course.full_url)
        landed = post_launch(window, form)
    assert landed.status_code == 302
    assert landed.headers["Location"] == course.url


def test_a_token_with_a_nonce_we_never_issued_is_refused(tool, platform, course, browser):
    before = counts()
    auth = start_login(browser, tool, platform, course.full_url)
    forged_auth = re.sub(r"nonce=[^&]+", "nonce=made-up-by-someone", auth)
    assert forged_auth != auth
    form = platform.id_token_for(forged_auth, ALICE, course.full_url)
    _refused(
        post_launch(browser, form),
        "This launch was already used or was not started here. Start it again from your platform.",
    )
    assert counts() == before


def test_an_incomplete_launch_is_refused(tool, platform, browser):
    response = browser.post(f"{tool}/lti/launch/", data={"state": "x"}, allow_redirects=False)
    assert response.status_code == 403
    assert zh("The launch is incomplete.") in response.text


def test_second_registration_with_many_deployments(tool, course, browser):
    other = Platform(tool, client_id="canvas-client", deployment_id="d2")
    try:
        register(other, name="Canvas", deployments=["d1", "d2"])
        response, _ = launch(browser, tool, other, course.full_url, ALICE)
        assert response.status_code == 302
    finally:
        other.close()
