"""The browser enforces the Content-Security-Policy, and the journeys' watch sees it."""

import contextlib

import pytest

from tests.e2e.conftest import watched

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_browser_refuses_an_inline_script_without_the_nonce(site, browser):
    context = browser.new_context()
    page, blocked = watched(context.new_page())
    page.goto(site + "/courses/")
    with contextlib.suppress(Exception):  # Playwright reports the refused tag as an error
        page.add_script_tag(content="window.injected = true")
    assert page.evaluate("window.injected") is None
    context.close()
    assert blocked and "script-src" in blocked[0]
