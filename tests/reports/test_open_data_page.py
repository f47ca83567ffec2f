"""The public open-data page: reachable from every page, the same figures as the JSON."""

from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import District
from courses import services as learning
from reports import open_data
from tests.accounts.factories import make_user
from tests.certificates.helpers import lessons_course
from tests.reports.test_district_rule import page_cells


@pytest.fixture
def course(db, tmp_path):
    return lessons_course(tmp_path, slug="open-data-page")


def enrol(course, district, count):
    for _ in range(count):
        learning.enrol(make_user(district=district), course)


@pytest.mark.parametrize(("language", "label"), [("zh-hans", "开放数据"), ("en", "Open data")])
def test_every_page_links_to_it_from_the_footer(client, catalog, language, label):
    client.get(reverse("switch_language", args=[language]))  # as the header's link does
    url = reverse("open_data")
    for path in ("/", "/courses/", reverse("account_login"), url):
        html = client.get(path).content.decode()
        footer = html.split('<footer class="site-footer">', 1)[1]
        assert f'<a href="{url}">{label}</a>' in footer, path


def test_the_page_shows_the_table_chart_downloads_and_when(client, course):
    enrol(course, District.HUANGPU, 5)
    enrol(course, District.YANGPU, 3)
    response = client.get(reverse("open_data"))
    assert response.status_code == 200
    html = response.content.decode()
    rows = [line.split('"')[0] for line in html.split('<tr data-district="')[1:]]
    assert rows == sorted(District.values) and len(rows) == 16  # official order, all 16
    assert page_cells(html, District.HUANGPU)["计量"] == "5"
    assert page_cells(html, District.YANGPU)["计量"] == "—"  # 3 people
    assert html.count('<svg class="chart"') == 1
    year = timezone.localdate().year
    assert f'href="/open-data/training.csv?year={year}"' in html
    assert f'href="/open-data/training.json?year={year}"' in html
    computed = open_data.published(year)["computed_at"]
    shown = timezone.localtime(computed, ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    assert f"统计时间：{shown}（北京时间）" in html
    assert "不足5人" in html


def test_the_page_in_english(client, course):
    enrol(course, District.HUANGPU, 5)
    client.get(reverse("switch_language", args=["en"]))
    html = client.get(reverse("open_data")).content.decode()
    assert "How small counts are withheld" in html
    assert page_cells(html, District.HUANGPU)["Metrology"] == "5"
    assert "Huangpu District" in html


def test_a_past_year_and_another_measure(client, course):
    enrol(course, District.HUANGPU, 5)
    last_year = timezone.localdate().year - 1
    html = client.get(reverse("open_data"), {"year": last_year}).content.decode()
    assert page_cells(html, District.HUANGPU)["计量"] == "0"
    assert f'href="/open-data/training.csv?year={last_year}"' in html
    html = client.get(reverse("open_data"), {"measure": "completions"}).content.decode()
    assert page_cells(html, District.HUANGPU)["计量"] == "0"  # nobody finished: no one shown


@pytest.mark.parametrize(
    "query",
    [
        {"year": "1999"},
        {"year": "abc"},
        {"year": "9" * 30},
        {"measure": "salary"},
        {"subject": "x"},
    ],
)
def test_bad_choices_get_a_clear_400_with_the_default_figures(client, course, query):
    enrol(course, District.HUANGPU, 5)
    response = client.get(reverse("open_data"), query)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="form-error"' in html
    assert page_cells(html, District.HUANGPU)["计量"] == "5"


def test_with_the_page_cache_on_the_page_follows_new_records(client, course, settings):
    settings.PAGE_CACHE_SECONDS = 300
    enrol(course, District.HUANGPU, 5)
    first = client.get(reverse("open_data"))
    assert "X-Cache" not in first  # never kept whole: the figures move with the records
    assert page_cells(first.content.decode(), District.HUANGPU)["计量"] == "5"
    enrol(course, District.HUANGPU, 1)
    html = client.get(reverse("open_data")).content.decode()
    assert page_cells(html, District.HUANGPU)["计量"] == "6"
    json_rows = client.get(reverse("open_data_json"), {"year": timezone.localdate().year})
    huangpu = next(r for r in json_rows.json()["rows"] if r["district_code"] == District.HUANGPU)
    assert huangpu["learners"] == 6


def test_the_published_district_name_does_not_depend_on_who_asked_first(client, course):
    enrol(course, District.HUANGPU, 5)
    client.get(reverse("switch_language", args=["en"]))
    english_first = client.get(reverse("open_data_json")).json()["rows"]
    assert {row["district"] for row in english_first} == {"黄浦区"}
