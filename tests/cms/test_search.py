import pytest
from django.conf import settings

from courses.models import CoursePage
from courses.search import segment
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def result_titles(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return response.context["results"], response.content.decode()


def test_segment_makes_overlapping_bigrams_and_keeps_latin():
    assert segment("计量基础知识").split() == ["计量", "量基", "基础", "础知", "知识"]
    assert segment("ISO 9001质量").split() == ["ISO", "9001", "质量"]
    assert segment("质").split() == ["质"]


def test_chinese_word_finds_course_whose_title_holds_it(catalog, client):
    results, html = result_titles(client, "计量")
    assert "计量基础与测量设备管理" in [c.title for c in results.courses]
    assert "计量基础与测量设备管理" in html


def test_quality_finds_every_course_whose_text_holds_it(catalog, client):
    results, _ = result_titles(client, "质量")
    expected = {
        course.title
        for course in CoursePage.objects.live()
        if "质量" in course.title + course.summary
        or any("质量" in lesson.title + lesson.plain_text() for lesson in course.lessons)
    }
    assert len(expected) >= 10
    assert {c.title for c in results.courses} == expected


def test_phrase_from_inside_a_lesson_finds_that_lesson(catalog, client):
    course = CoursePage.objects.get(slug="qc-seven-tools")
    results, _ = result_titles(client, "排列图")
    assert course.title in [c.title for c in results.courses]
    assert any(lesson.parent_course.pk == course.pk for lesson in results.lessons)


def test_word_that_appears_nowhere_finds_nothing(catalog, client):
    results, html = result_titles(client, "火星殖民")
    assert results.count == 0
    assert "没有找到结果" in html


def test_single_character_is_looked_up_directly(catalog, client):
    results, _ = result_titles(client, "秤")
    assert all("秤" in c.title + c.summary for c in results.courses)


@pytest.mark.parametrize(
    "query",
    ["x" * 101, "计量" * 200, "' OR 1=1 --", "\x00", "AND OR NOT", '"', "* ? ( )", "&&", "a:b"],
)
def test_odd_or_long_queries_never_break_search(catalog, client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200


def test_over_long_query_is_explained(catalog, client):
    html = client.get("/search/", {"q": "计" * 101}).content.decode()
    assert "搜索词太长了" in html


def test_english_course_is_found_by_english_words(catalog, client, tmp_path):
    body = (
        "## Calibrating instruments\n\nLaboratories calibrate balances against reference weights.\n"
    )
    make_course(
        tmp_path,
        slug="calibration-en",
        title="Calibration in practice",
        language="en",
        body=body,
        lessons=1,
    )
    results, _ = result_titles(client, "calibration")
    assert "Calibration in practice" in [c.title for c in results.courses]


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="stemming is PostgreSQL's english config")
def test_english_words_stem_on_postgresql(catalog, client, tmp_path):
    body = (
        "## Calibrating instruments\n\nLaboratories calibrate balances against reference weights.\n"
    )
    make_course(
        tmp_path, slug="calibration-en", title="Weighing right", language="en", body=body, lessons=1
    )
    for query in ["calibrated", "laboratory", "weight"]:
        results, _ = result_titles(client, query)
        assert "Weighing right" in [c.title for c in results.courses], query
