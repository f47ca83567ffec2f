import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Audience, CoursePage, LessonPage
from courses.package.services import import_packages
from tests.factories import package_dict, write_package

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    """Queries of one request once caches are warm, as every request but the first sees it."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def add_courses(tmp_path, start, stop, audience="query-audience"):
    for n in range(start, stop):
        write_package(
            tmp_path,
            package_dict(
                slug=f"q-course-{n}", title=f"计量课程{n}", lessons=1, audiences=[audience]
            ),
        )
    import_packages([tmp_path])


def test_catalog_lists_live_courses_with_facts(catalog, client):
    # Newest first, twelve to a page: the demo catalog fills two pages.
    courses = list(CoursePage.objects.in_catalog().newest_first())
    html = client.get("/courses/").content.decode()
    for course in courses[:12]:
        assert course.title in html
    assert "学时" in html
    second = client.get("/courses/", {"page": 2}).content.decode()
    for course in courses[12:24]:
        assert course.title in second


def test_filters_by_audience_subject_and_grade(catalog, client):
    html = client.get("/courses/?audience=school").content.decode()
    school = CoursePage.objects.live().filter(audiences__slug="school")
    others = CoursePage.objects.live().exclude(audiences__slug="school")
    assert school.exists() and others.exists()
    assert all(c.title in html for c in school)
    assert not any(f">{c.title}<" in html for c in others)

    html = client.get("/courses/?subject=metrology&grade=junior").content.decode()
    assert "测量与误差（初中）" in html
    assert "质量就在身边（小学）" not in html


@pytest.mark.parametrize(
    "query",
    [
        "audience=astronauts",
        "subject=%3Cscript%3E",
        "grade=university",
        "page=abc",
        "page=99999",
        "audience=" + "x" * 5000,
        "audience=school&audience=public",
    ],
)
def test_bad_filter_values_never_break_the_catalog(catalog, client, query):
    response = client.get("/courses/?" + query)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_unknown_filter_value_is_explained(catalog, client):
    html = client.get("/courses/?audience=astronauts").content.decode()
    assert "没有这个学习对象" in html


def test_catalog_queries_do_not_grow_with_courses(catalog, client, tmp_path):
    Audience.objects.create(slug="query-audience", name="查询测试", name_en="Query test")
    add_courses(tmp_path, 0, 5)
    few, response = count_queries(client, "/courses/?audience=query-audience")
    assert response.content.decode().count('class="card course-card"') == 5
    add_courses(tmp_path, 5, 50)
    many, response = count_queries(client, "/courses/?audience=query-audience")
    assert response.content.decode().count('class="card course-card"') == 12
    assert few == many


def test_course_page_queries_do_not_grow_with_lessons(catalog, client, tmp_path):
    write_package(tmp_path, package_dict(slug="long-course", lessons=3))
    import_packages([tmp_path])
    few, response = count_queries(client, "/courses/long-course/")
    assert response.content.decode().count('class="unit-title"') == 3
    write_package(tmp_path, package_dict(slug="long-course", lessons=60))
    import_packages([tmp_path])
    many, response = count_queries(client, "/courses/long-course/")
    assert response.content.decode().count('class="unit-title"') == 60
    assert few == many
    lesson_few, _ = count_queries(client, "/courses/long-course/lesson-2/")
    assert LessonPage.objects.child_of(CoursePage.objects.get(slug="long-course")).count() == 60
    assert lesson_few <= few + 3


def test_course_page_shows_units_hours_and_certificate(catalog, client):
    course = CoursePage.objects.get(slug="metrology-basics")
    html = client.get(course.url).content.decode()
    assert course.title in html
    for lesson in course.lessons:
        assert lesson.title in html
    assert course.certificate
    assert "完成后颁发" in html
    hours = f"{course.hours.normalize():f}"
    assert f"<dd>{hours}</dd>" in html


def test_lesson_page_has_navigation_and_body(catalog, client):
    course = CoursePage.objects.get(slug="metrology-basics")
    # Units of every kind are numbered and linked in course order (a SCORM unit sits between
    # the first two lessons of this course).
    units = list(course.get_children().live().order_by("path"))
    second = course.lessons[1]
    position = [unit.pk for unit in units].index(second.pk)
    html = client.get(second.url).content.decode()
    assert second.title in html
    assert units[position - 1].url in html
    assert f"第 {position + 1} 课时" in html


def test_unknown_course_and_lesson_are_styled_404s(catalog, client):
    for url in [
        "/courses/no-such-course/",
        "/courses/metrology-basics/no-such-lesson/",
        "/courses/" + "x" * 3000 + "/",
    ]:
        response = client.get(url)
        assert response.status_code == 404
        assert "质量学堂" in response.content.decode()
