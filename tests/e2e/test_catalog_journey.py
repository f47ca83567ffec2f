import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_on_a_phone_finds_a_course_reads_a_lesson_and_switches_to_english(site, phone):
    page = phone
    page.goto(site + "/")
    assert page.locator("h1").inner_text() == "人人学质量，处处讲质量"

    page.get_by_role("link", name="一线职工").first.click()
    page.wait_for_url("**/courses/?audience=frontline")
    cards = page.locator(".course-card h3 a")
    titles = cards.all_inner_texts()
    assert "一线岗位质量意识：三检制与“三不原则”" in titles
    assert "质量就在身边（小学）" not in titles

    page.get_by_role("link", name="一线岗位质量意识：三检制与“三不原则”").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "一线岗位质量意识：三检制与“三不原则”"
    units = page.locator(".unit-title").all_inner_texts()
    assert len(units) >= 3

    page.get_by_role("link", name="或先阅读第一课时").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == units[0]
    assert "第 1 课时" in page.locator(".eyebrow").inner_text()
    assert page.locator(".lesson h2").count() >= 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the lesson must not scroll sideways on a phone"

    page.locator(".lesson-nav .next").click()
    assert page.locator("h1").inner_text() == units[1]

    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == units[1]
    assert "Unit 2 of" in page.locator(".eyebrow").inner_text()
    expect(page.get_by_role("link", name="中文")).to_be_visible()


def test_catalog_filters_and_search_work_in_the_browser(site, desktop):
    page = desktop
    page.goto(site + "/courses/")
    page.get_by_label("学段").select_option("junior")
    page.get_by_role("button", name="筛选").click()
    # A click waits only for the next page to start loading; expect() waits for its cards.
    expect(page.locator(".course-card h3")).to_have_text(
        ["测量与误差（初中）", "认证标志与检验检测（初中）"]
    )

    page.get_by_label("搜索课程").fill("计量")
    page.get_by_label("搜索课程").press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert "计量基础与测量设备管理" in page.locator(".course-card h3").all_inner_texts()


PAGES = [
    "/",
    "/courses/",
    "/courses/metrology-basics/",
    "/courses/metrology-basics/si-units/",
    "/search/?q=计量",
    "/courses/does-not-exist/",
    "/accounts/login/",
    "/accounts/signup/",
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_have_no_serious_accessibility_violations(site, browser, language):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_cookies([{"name": "django_language", "value": language, "url": site}])
    page = context.new_page()
    axe = Axe()
    problems = {}
    for path in PAGES:
        page.goto(site + path)
        response = axe.run(page).response
        assert response["passes"], "axe-core did not run on " + path
        violations = response["violations"]
        serious = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
            for v in violations
            if v["impact"] in {"serious", "critical"}
        ]
        if serious:
            problems[path] = serious
    context.close()
    assert problems == {}
