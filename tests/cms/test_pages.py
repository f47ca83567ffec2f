import re
from unittest import mock

import pytest
from django.contrib.staticfiles import finders
from django.db import OperationalError

from courses.models import CoursePage

pytestmark = pytest.mark.django_db


def test_home_shows_audiences_subjects_and_newest_courses(catalog, client):
    html = client.get("/").content.decode()
    for audience in ["首席质量官", "一线职工", "小微企业", "中小学", "社会公众"]:
        assert audience in html
    for subject in ["计量", "标准化", "认证认可", "检验检测", "质量法律法规", "质量管理"]:
        assert "/courses/?subject=" in html and subject in html
    assert html.count('class="card course-card"') == 6


def test_healthz_answers_200_with_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_without_the_database(client):
    with mock.patch("cms.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_site_is_chinese_by_default_whatever_the_browser_says(catalog, client):
    html = client.get("/courses/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "课程目录" in html


def test_language_switch_sets_english_and_returns_to_the_page(catalog, client):
    response = client.get("/language/en/", {"next": "/courses/"})
    assert response.status_code == 302 and response["Location"] == "/courses/"
    html = client.get("/courses/").content.decode()
    assert '<html lang="en">' in html
    assert "Course catalog" in html and "课程目录" not in html
    assert "Chief quality officers" in html
    client.get("/language/zh-hans/", {"next": "/"})
    assert "课程目录" in client.get("/courses/").content.decode()


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "javascript:alert(1)",
        "/\\evil.example/",
        "http:/evil.example/",
    ],
)
def test_language_switch_never_redirects_off_site(client, target):
    response = client.get("/language/en/", {"next": target})
    assert response["Location"] == "/"


def test_unknown_language_is_ignored(client):
    response = client.get("/language/xx/", {"next": "/"})
    assert response.status_code == 302
    assert "django_language" not in response.cookies


def test_404_page_is_in_the_site_style(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "没有找到这个页面" in html and 'class="site-header"' in html


def test_lesson_page_weighs_under_100_kb_with_its_css_and_js(catalog, client):
    course = CoursePage.objects.get(slug="iso9001-essentials")
    html = client.get(course.lessons[-1].url).content
    total = len(html)
    for ref in re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js|svg))"', html):
        path = finders.find(ref.decode())
        assert path, ref
        with open(path, "rb") as handle:
            total += len(handle.read())
    assert total < 100 * 1024, total


def test_about_page_is_published(catalog, client):
    response = client.get("/about/")
    assert response.status_code == 200
    assert "沪府发〔2015〕6号" in response.content.decode()
