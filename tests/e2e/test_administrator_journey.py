"""An administrator's day, in Chinese and in English, from the home page by clicks alone: the
public open-data page from the footer (its table and its download), then the administration
from the header, signed in with an authenticator code, and the training figures with their
period in the date fields and their export.

The learners are staff an enterprise in Minhang imported, with no district of their own: they
count in the district where the enterprise is registered."""

import csv
import io

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import District
from tests.accounts.factories import add_member, make_organisation, make_user
from tests.certificates.helpers import finish, lessons_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "zh-hans": {
        "open_data": "开放数据",
        "minhang": "闵行区",
        "metrology": "计量",
        "withheld": "小数字如何不公开",
        "main": "主导航",
        "admin": "管理后台",
        "figures": "培训统计",
        "from": "起",
        "to": "止",
        "by": "分组",
        "show": "查看",
        "group": "分组",
    },
    "en": {
        "open_data": "Open data",
        "minhang": "Minhang District",
        "metrology": "Metrology",
        "withheld": "How small counts are withheld",
        "main": "Main",
        "admin": "Administration",
        "figures": "Training figures",
        "from": "From",
        "to": "To",
        "by": "By",
        "show": "Show",
        "group": "Group",
    },
}
STAFF = 5


@pytest.fixture
def imported_staff(tmp_path):
    """Five staff of a Minhang enterprise, none with a district of their own, each of whom
    has completed a metrology course."""
    course = lessons_course(tmp_path, slug="journey-figures")
    enterprise = make_organisation(district=District.MINHANG, size="micro")
    for n in range(STAFF):
        member = add_member(enterprise, make_user(real_name=f"员工{n}", district=""))
        finish(member.user, course)
    return course


@pytest.fixture
def administrator(settings):
    """A superuser who, as in production, signs in with a second factor."""
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    user = make_user("cityadmin-day", is_superuser=True, is_staff=True)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def test_an_administrator_reads_the_open_data_and_the_training_figures(
    from_home, header_sign_in, desktop, language, imported_staff, administrator
):
    w = WORDS[language]
    page = from_home(desktop)

    # The public page, from the footer: the imported staff count in Minhang.
    page.locator("footer").get_by_role("link", name=w["open_data"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(w["open_data"])
    row = page.locator("tr[data-district='310112']")
    expect(row.locator("th")).to_have_text(w["minhang"])
    headers = page.locator("table.open-data-table thead th").all_inner_texts()
    expect(row.locator("td").nth(headers.index(w["metrology"]) - 1)).to_have_text(str(STAFF))
    expect(page.locator("svg.chart")).to_have_count(1)
    expect(page.get_by_role("heading", name=w["withheld"])).to_be_visible()
    with page.expect_download() as info:
        page.locator(".downloads a").first.click()
    rows = list(csv.DictReader(io.StringIO(info.value.path().read_text(encoding="utf-8-sig"))))
    minhang = next(r for r in rows if r["district_code"] == District.MINHANG)
    assert (minhang["learners"], minhang["completions"]) == (str(STAFF), str(STAFF))

    # Sign in from the header, with the authenticator's code, and open the administration.
    header_sign_in(page, "cityadmin-day", secret=administrator)
    page.get_by_role("navigation", name=w["main"]).get_by_role("link", name=w["admin"]).click()
    page.get_by_role("link", name=w["figures"]).click()

    # The period shows in the date fields (ISO, which a date input accepts, in either
    # language) and stays there when the grouping changes.
    year_start = f"{timezone.localdate().year}-01-01"
    today = timezone.localdate().isoformat()
    expect(page.get_by_label(w["from"], exact=True)).to_have_value(year_start)
    expect(page.get_by_label(w["to"], exact=True)).to_have_value(today)
    page.get_by_label(w["by"], exact=True).select_option("subject")
    page.get_by_role("button", name=w["show"]).click()
    expect(page.get_by_label(w["from"], exact=True)).to_have_value(year_start)
    expect(page.get_by_label(w["to"], exact=True)).to_have_value(today)
    page.get_by_label(w["by"], exact=True).select_option("district")
    page.get_by_role("button", name=w["show"]).click()
    row = page.locator("table.listing").first.locator("tr", has_text=w["minhang"])
    expect(row.locator("td").nth(3)).to_have_text(str(STAFF))  # completions

    # The export: header and district names in the page's language.
    with page.expect_download() as info:
        page.locator(".report-downloads a", has_text="CSV").first.click()
    rows = list(csv.reader(io.StringIO(info.value.path().read_text(encoding="utf-8-sig"))))
    assert rows[0][0] == w["group"]
    assert rows[1][:4] == [w["minhang"], str(STAFF), str(STAFF), str(STAFF)]
