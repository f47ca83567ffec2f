import csv
import io

import pytest
from playwright.sync_api import expect

from accounts.models import District
from tests.accounts.factories import add_member, make_organisation, make_user
from tests.certificates.helpers import finish, lessons_course
from tests.e2e.test_account_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_reads_the_district_report_and_downloads_it(site, desktop, tmp_path):
    course = lessons_course(tmp_path, slug="report-journey")
    enterprise = make_organisation(district=District.MINHANG, size="micro")
    for name in ("钱一", "孙二"):
        learner = add_member(enterprise, make_user(real_name=name, district=District.MINHANG))
        finish(learner.user, course)
    make_user("cityadmin", is_superuser=True, is_staff=True)

    page = desktop
    sign_in(page, site, "cityadmin")
    page.goto(site + "/admin/")
    page.get_by_role("link", name="培训统计").click()
    page.get_by_label("分组").select_option("district")
    page.get_by_role("button", name="查看").click()
    table = page.locator("table.listing").first
    row = table.locator("tr", has_text="闵行区")
    assert row.locator("td").nth(3).inner_text() == "2"  # completions
    expect(page.locator("svg.chart")).to_have_count(3)

    with page.expect_download() as info:
        page.locator(".report-downloads a", has_text="CSV").first.click()
    text = info.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "分组"
    assert rows[1][:4] == ["闵行区", "2", "2", "2"]
