"""Browser tests: Playwright for Python driving Debian's Chromium.

They skip, saying why, only where /usr/bin/chromium is missing; CI installs it, so there
they always run.
"""

import os
import shutil

import pytest

from cms.setup import ensure_site_tree, ensure_workflow
from tests.conftest import build_catalog

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server):
    build_catalog()
    return live_server.url


@pytest.fixture
def bare_site(live_server):
    """The page tree without the demo catalog, for journeys that bring their own courses:
    importing the catalog again after each transactional test's flush takes minutes."""
    ensure_workflow(ensure_site_tree())
    return live_server.url


def watched(page):
    """Chromium reports what the Content-Security-Policy blocked on the console: collect it,
    so that every browser journey also proves the policy blocks nothing the site needs."""
    blocked = []

    def note(message):
        if "Content Security Policy" in message.text:
            blocked.append(f"{page.url}: {message.text}")

    page.on("console", note)
    return page, blocked


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page, blocked = watched(context.new_page())
    yield page
    context.close()
    assert blocked == []


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page, blocked = watched(context.new_page())
    yield page
    context.close()
    assert blocked == []


@pytest.fixture(params=["zh-hans", "en"])
def language(request):
    """Each journey runs in Chinese (the site's default) and in English."""
    return request.param


@pytest.fixture
def header_sign_in(language):
    """Sign in through the header's 登录 / Sign in link; staff then give their authenticator's
    current code when ``secret`` is given (TOTP, as production requires of them)."""

    def sign_in(page, login, secret=None):
        from tests.accounts.factories import PASSWORD

        words = HEADER[language]
        page.locator("header").get_by_role("link", name=words["sign_in"]).click()
        page.get_by_label(words["login"]).fill(login)
        page.get_by_label(words["password"], exact=True).fill(PASSWORD)
        page.get_by_role("button", name=words["sign_in"]).click()
        if secret is not None:
            from tests.accounts.test_privacy_and_security import current_code

            page.wait_for_url("**/accounts/2fa/authenticate/**")
            page.locator("input[name='code']").fill(current_code(secret))
            page.get_by_role("button", name=words["sign_in"]).click()
        return page

    return sign_in


@pytest.fixture
def from_home(bare_site, language, header_sign_in):
    """Open the home page and choose the language with the header's link (for English), then
    sign in from the header if a login is given: every later step of a journey is a click."""

    def start(page, login=None, secret=None):
        page.goto(bare_site + "/")
        if language == "en":
            page.locator("header").get_by_role("link", name="English").click()
        if login is not None:
            header_sign_in(page, login, secret)
        return page

    return start


HEADER = {
    "zh-hans": {"sign_in": "登录", "login": "电子邮件或用户名", "password": "密码"},
    "en": {"sign_in": "Sign in", "login": "E-mail or username", "password": "Password"},
}
