"""Screenshots of the main pages on a phone and a desktop viewport, for a human to look at.

.venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 artifacts/screens
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PAGES = {
    "home": "/",
    "catalog": "/courses/?audience=frontline",
    "course": "/courses/iso9001-essentials/",
    "lesson": "/courses/iso9001-essentials/",
    "search": "/search/?q=计量",
    "notfound": "/courses/no-such-course/",
    "login": "/accounts/login/",
    "signup": "/accounts/signup/",
    "verify-unknown": "/certificates/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/",
    "open-data": "/open-data/",
}
# Pages of a signed-in demo account (from `bootstrap --demo`).
SIGNED_IN = (
    "manager",
    "quality-demo-2026",
    {
        "profile": "/accounts/profile/",
        "organisation": "/org/",
        "import": "/org/import/staff/",
        "org-certificates": "/org/certificates/",
    },
)
VIEWPORTS = {"phone": (390, 844), "desktop": (1366, 900)}
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main(base, out, language="zh-hans"):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for vp_name, (width, height) in VIEWPORTS.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            context.add_cookies([{"name": "django_language", "value": language, "url": base}])
            page = context.new_page()
            for name, path in PAGES.items():
                page.goto(base + path)
                if name == "lesson":
                    page.locator(".unit-list a").first.click()
                stem = f"{name}-{vp_name}-{language}"
                page.screenshot(path=out / f"{stem}.png", full_page=True)
                # Full phone pages shrink too much to judge, so also keep each screenful.
                if vp_name == "phone":
                    total = page.evaluate("document.documentElement.scrollHeight")
                    for index, top in enumerate(range(0, min(total, 4 * height), height)):
                        page.screenshot(
                            path=out / f"{stem}-screen{index + 1}.png",
                            clip={
                                "x": 0,
                                "y": top,
                                "width": width,
                                "height": min(height, total - top),
                            },
                            full_page=True,
                        )
            username, password, signed_in = SIGNED_IN
            page.goto(base + "/accounts/login/")
            page.fill("#id_login", username)
            page.fill("#id_password", password)
            page.click("form button[type=submit] >> nth=-1")
            for name, path in signed_in.items():
                page.goto(base + path)
                page.screenshot(path=out / f"{name}-{vp_name}-{language}.png", full_page=True)
            context.close()
            learner_pages(browser, base, out, vp_name, width, height, language)
        browser.close()


def learner_pages(browser, base, out, vp_name, width, height, language):
    """The demo learner enrols, opens the final quiz, and looks at results and dashboard."""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page = context.new_page()
    page.goto(base + "/accounts/login/")
    page.fill("#id_login", "learner")
    page.fill("#id_password", "quality-demo-2026")
    page.click("form button[type=submit] >> nth=-1")
    page.goto(base + "/courses/metrology-basics/")
    if page.locator("form[action*='/enrol/'] button").count():
        page.click("form[action*='/enrol/'] button")
    page.goto(base + "/courses/metrology-basics/final/")
    start = page.locator("form[action*='/start/'] button")
    if start.count():
        start.click()
    elif page.locator("a[href*='/learn/attempts/']").count():
        page.locator("a[href*='/learn/attempts/']").first.click()
    page.screenshot(path=out / f"attempt-{vp_name}-{language}.png", full_page=False)
    if page.locator("#attempt-form").count():
        page.locator("#attempt-form input[type=radio]").first.check()
        page.wait_for_timeout(800)
        page.screenshot(path=out / f"attempt-saved-{vp_name}-{language}.png", full_page=False)
        page.click(".submit-attempt")
        page.screenshot(path=out / f"result-{vp_name}-{language}.png", full_page=True)
    page.goto(base + "/courses/metrology-basics/")
    page.screenshot(path=out / f"course-enrolled-{vp_name}-{language}.png", full_page=True)
    page.goto(base + "/dashboard/")
    page.screenshot(path=out / f"dashboard-{vp_name}-{language}.png", full_page=True)
    verification = page.locator("a[href*='/certificates/verify/']")
    if verification.count():
        verification.first.click()
        page.screenshot(path=out / f"verify-{vp_name}-{language}.png", full_page=True)
    context.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *(sys.argv[3:4]))
