"""The anonymous page cache: fast for visitors, never showing what it must not."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms.models import HomePage, HomePageFeaturedCourse
from courses import services
from courses.models import Audience, CoursePage, LessonPage, QuizPage

pytestmark = pytest.mark.django_db

COURSE_SLUG = "metrology-basics"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def course(catalog):
    return CoursePage.objects.get(slug=COURSE_SLUG)


@pytest.fixture
def learner(catalog):
    return get_user_model().objects.create_user(
        "cache-learner", password="x" * 12, real_name="缓存学员"
    )


def public_urls(course):
    lesson = LessonPage.objects.child_of(course).live().first()
    quiz = QuizPage.objects.child_of(course).live().first()
    return ["/", "/courses/", "/courses/?audience=frontline", course.url, lesson.url, quiz.url]


def publish_title(page, title):
    page.title = title
    page.save_revision().publish()


def test_second_anonymous_visit_is_served_from_the_cache_without_queries(
    client, course, django_assert_num_queries
):
    for url in public_urls(course):
        first = client.get(url)
        assert first.status_code == 200 and first["X-Cache"] == "miss", url
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second["X-Cache"] == "hit", url
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]
        assert second["X-Frame-Options"] == "DENY"


def test_publishing_shows_the_new_version_at_once(
    client, course, django_capture_on_commit_callbacks
):
    # The catalog outgrew one home page and one catalog page: the course is featured on the
    # home page, and the catalog is filtered to its subject, so both pages show it.
    home = HomePage.objects.get()
    HomePageFeaturedCourse.objects.create(page=home, course=course)
    lesson_url = public_urls(course)[4]
    urls = ("/", "/courses/?subject=metrology", course.url, lesson_url)
    for url in urls:
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        publish_title(course, "计量基础（第二版）")
    for url in urls:
        response = client.get(url)
        assert response["X-Cache"] == "miss", url
        assert "计量基础（第二版）" in response.content.decode(), url


def test_a_saved_draft_and_its_preview_are_never_served_to_visitors(
    client, course, django_capture_on_commit_callbacks
):
    published = client.get(course.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        course.title = "草稿标题：尚未审核"
        revision = course.save_revision()  # a draft: not published

    editor = get_user_model().objects.create_superuser("cache-ed", "ed@example.com", "x" * 12)
    staff = Client()
    staff.force_login(editor)
    preview = staff.get(f"/admin/pages/{course.pk}/revisions/{revision.pk}/view/")
    assert preview.status_code == 200 and "草稿标题" in preview.content.decode()

    visitor = client.get(course.url)
    assert visitor["X-Cache"] == "hit"
    assert visitor.content.decode() == published
    assert "草稿标题" not in visitor.content.decode()


def test_signed_in_learners_get_their_own_page_and_visitors_never_see_it(client, course, learner):
    anonymous = client.get(course.url).content.decode()

    services.enrol(learner, course)
    own = Client()
    own.force_login(learner)
    page = own.get(course.url)
    assert "X-Cache" not in page  # neither read from nor written to the cache
    html = page.content.decode()
    personal = ('href="/dashboard/"', 'role="progressbar"')  # "my learning", their progress
    assert all(marker in html for marker in personal)

    again = client.get(course.url)
    assert again["X-Cache"] == "hit"
    assert again.content.decode() == anonymous
    assert not any(marker in anonymous for marker in personal)


def test_english_visitors_get_the_english_page(client, course):
    client.get("/courses/")
    english = Client()
    english.get("/language/en/", {"next": "/"})
    html = english.get("/courses/").content.decode()
    assert '<html lang="en">' in html and "Course catalog" in html
    assert '<html lang="zh-Hans">' in client.get("/courses/").content.decode()


def test_unpublishing_or_restricting_a_page_takes_effect_at_once(
    client, course, django_capture_on_commit_callbacks
):
    lesson = LessonPage.objects.child_of(course).live().first()
    assert client.get(lesson.url).status_code == 200
    assert client.get(lesson.url)["X-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=course, restriction_type="login")
    restricted = client.get(lesson.url)
    assert restricted.status_code == 302 and "/accounts/login/" in restricted["Location"]
    assert client.get(lesson.url).status_code == 302  # the login redirect is not kept either

    with django_capture_on_commit_callbacks(execute=True):
        course.get_view_restrictions().delete()
    assert client.get(lesson.url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        lesson.unpublish()
    assert client.get(lesson.url).status_code == 404


def test_taxonomy_changes_reach_the_catalog(client, catalog, django_capture_on_commit_callbacks):
    client.get("/")
    audience = Audience.objects.get(slug="frontline")
    with django_capture_on_commit_callbacks(execute=True):
        audience.name = "一线员工与班组长"
        audience.save()
    assert "一线员工与班组长" in client.get("/").content.decode()


def test_made_up_query_strings_are_served_but_not_kept(client, course):
    for url in (f"{course.url}?utm=x", "/courses/?audience=no-such", "/courses/?page=99999"):
        assert client.get(url).status_code == 200
        assert "X-Cache" not in client.get(url), url


def test_a_visitor_with_a_session_or_messages_bypasses_the_cache(client, course):
    client.get(course.url)
    client.cookies["sessionid"] = "not-a-session"
    assert "X-Cache" not in client.get(course.url)
    other = Client()
    other.cookies["messages"] = "anything"
    assert "X-Cache" not in other.get(course.url)


def test_pages_that_set_a_cookie_are_not_kept(client, catalog):
    login = client.get("/accounts/login/")
    assert login.status_code == 200
    assert "X-Cache" not in login and "X-Cache" not in client.get("/accounts/login/")


def test_the_cache_is_off_without_a_shared_cache(client, course, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(course.url)
    assert "X-Cache" not in client.get(course.url)


def test_a_page_that_writes_to_the_session_is_not_kept(client, course, monkeypatch):
    original = CoursePage.get_context

    def remembering(self, request, *args, **kwargs):
        request.session["seen"] = self.pk  # the session cookie is set after the cache looks
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(CoursePage, "get_context", remembering)
    first = client.get(course.url)
    assert "X-Cache" not in first and "sessionid" in first.cookies
    other = Client()
    assert "X-Cache" not in other.get(course.url)


def catalog_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in ctx.captured_queries]


def test_a_signed_in_learner_gets_the_shared_course_list_without_its_queries(
    course, learner, django_capture_on_commit_callbacks
):
    own = Client()
    own.force_login(learner)
    html, sql = catalog_queries(own, "/courses/")
    assert 'href="/dashboard/"' in html  # the learner's own header, around the shared list
    assert course.title in html
    course_tables = ("courses_coursepage", "courses_audience", "courses_subject")
    assert not [q for q in sql if any(table in q for table in course_tables)], sql

    with django_capture_on_commit_callbacks(execute=True):
        publish_title(course, "计量基础（第二版）")
    assert "计量基础（第二版）" in own.get("/courses/").content.decode()


def test_each_filter_and_language_keeps_its_own_shared_list(client, catalog, learner):
    own = Client()
    own.force_login(learner)
    juniors = CoursePage.objects.in_catalog().filter(grade_band="junior").count()
    all_courses = own.get("/courses/").content.decode()
    junior = own.get("/courses/?grade=junior").content.decode()
    assert junior.count('class="card course-card"') == juniors
    assert all_courses.count('class="card course-card"') > juniors
    assert own.get("/courses/").content.decode().count('class="card course-card"') > juniors

    own.get("/language/en/", {"next": "/"})
    english = own.get("/courses/?grade=junior").content.decode()
    assert f"{juniors} course" in english and "Filter" in english


def test_made_up_catalog_queries_are_rendered_but_not_shared(learner, catalog, monkeypatch):
    from django.core.cache import caches

    own = Client()
    own.force_login(learner)
    default = caches["default"]
    stored = []
    real_set = default.set
    monkeypatch.setattr(
        default, "set", lambda key, *a, **k: stored.append(key) or real_set(key, *a, **k)
    )
    for url in ("/courses/?audience=no-such", "/courses/?page=99999", "/courses/?utm=x"):
        assert own.get(url).status_code == 200
    assert not [key for key in stored if "catalog_list" in key], stored
    own.get("/courses/")
    assert [key for key in stored if "catalog_list" in key]
