import csv
import io

import pytest
from playwright.sync_api import expect

from accounts.models import District
from courses import services as learning
from tests.accounts.factories import make_user
from tests.certificates.helpers import lessons_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("language", "link", "district", "subject"),
    [
        ("zh-hans", "开放数据", "黄浦区", "计量"),
        ("en", "Open data", "Huangpu District", "Metrology"),
    ],
)
def test_the_public_finds_the_figures_from_the_footer_and_downloads_them(
    site, phone, tmp_path, language, link, district, subject
):
    course = lessons_course(tmp_path, slug="open-data-journey")
    for _ in range(5):
        learning.enrol(make_user(district=District.HUANGPU), course)

    page = phone
    page.goto(f"{site}/language/{language}/?next=/")
    page.locator("footer").get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(link)
    row = page.locator("tr[data-district='310101']")
    expect(row.locator("th")).to_have_text(district)
    headers = page.locator("table.open-data-table thead th").all_inner_texts()
    expect(row.locator("td").nth(headers.index(subject) - 1)).to_have_text("5")
    expect(page.locator("svg.chart")).to_have_count(1)
    # The table scrolls inside its box; the page itself does not get wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    with page.expect_download() as info:
        page.locator(".downloads a").first.click()
    text = info.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert next(iter(rows[0])) == "district_code"
    huangpu = next(r for r in rows if r["district_code"] == District.HUANGPU)
    assert huangpu["learners"] == "5" and huangpu["district"] == "黄浦区"
