"""Signed-in course and lesson pages in the default install (SQLite, no Redis: the generation
in a file, the site state and the shared parts of pages in each process's memory).

What is the same for every learner (the lesson's body, the course's unit list and facts) is
rendered once per generation and shared; a signed-in page then costs the learner's own records
only, whatever the size of the course, and every change still shows on the next request."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.rich_text import RichText

from courses import services
from courses.models import LessonPage
from courses.quiz import attempts
from serving.pagecache import new_generation
from tests.courses.learning_helpers import quiz_course

pytestmark = pytest.mark.django_db

# User (the session read is left out), then the learner's enrolment with their unit status
# (lessons opened and done, quizzes passed) in one statement. The page at the URL, its
# course, its units and the shared parts of the page come from what is kept. The lesson
# measured is the learner's second view of it within the minute, which writes nothing (the
# first wrote the visit: see below).
LESSON_QUERIES = 2
COURSE_QUERIES = 2
# A learner of no organisation, as most of the city's are (the session read left out): user,
# enrolments, quiz results, classes (none), notifications, certificates. No staff training
# query (their roles say they belong nowhere), no query for "a certificate is being
# prepared" (told from the enrolments), no page.
DASHBOARD_QUERIES = 6


@pytest.fixture
def default_install(settings, tmp_path):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.SITE_GENERATION_FILE = str(tmp_path / "db.sqlite3-generation")
    settings.SITE_STATE_IN_MEMORY = True
    settings.PAGE_CACHE_SECONDS = 300
    caches["default"].clear()
    new_generation()
    yield
    caches["default"].clear()


def learner_in(course, name):
    user = get_user_model().objects.create_user(name, real_name="共享学员")
    enrolment = services.enrol(user, course)
    client = Client()
    client.force_login(user)
    return user, enrolment, client


def lessons_of(course):
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def measured(client, url):
    """(queries, html) of the second request: the first filled what is kept."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    # The session's read is left out: with Redis it comes from the cache, not the database.
    queries = [q for q in ctx.captured_queries if '"django_session"' not in q["sql"]]
    return queries, response.content.decode()


def course_costs(tmp_path, size):
    folder = tmp_path / str(size)
    folder.mkdir()
    course, _quiz = quiz_course(folder, slug=f"shared-{size}", lessons=size)
    _user, enrolment, client = learner_in(course, f"shared-learner-{size}")
    lessons = lessons_of(course)
    for lesson in lessons[: size // 2]:
        services.complete_lesson(enrolment, lesson)
    lesson_sql, lesson_html = measured(client, lessons[1].url)
    course_sql, course_html = measured(client, course.url)
    return lesson_sql, lesson_html, course_sql, course_html, size // 2


def test_signed_in_lesson_and_course_cost_the_same_queries_from_3_to_60_lessons(
    default_install, tmp_path, catalog
):
    small = course_costs(tmp_path, 3)
    large = course_costs(tmp_path, 60)
    for sql in (small[0], large[0], small[2], large[2]):
        print(len(sql), *(q["sql"][:200] for q in sql), sep="\n  ")
    assert len(small[0]) == len(large[0]) == LESSON_QUERIES
    assert len(small[2]) == len(large[2]) == COURSE_QUERIES
    # The learner's own marks are on both pages: half the lessons done, in the unit list.
    for _sql, lesson_html, _course_sql, course_html, done in (small, large):
        assert lesson_html.count('class="status done"') == done
        assert course_html.count('class="status done"') == done


def test_a_published_lesson_body_and_the_learners_own_marks_show_on_the_next_request(
    default_install, tmp_path, catalog, django_capture_on_commit_callbacks
):
    course, _quiz = quiz_course(tmp_path, slug="shared-change", lessons=3)
    _user, enrolment, client = learner_in(course, "shared-change-learner")
    other = learner_in(course, "shared-change-other")[2]
    first, second, _third = lessons_of(course)
    for url in (first.url, second.url, course.url):
        measured(client, url)
        measured(other, url)
    first.body = [("paragraph", RichText("<p>修订后的课文：量值溯源链。</p>"))]
    with django_capture_on_commit_callbacks(execute=True):
        first.save_revision().publish()
    for viewer in (client, other):
        assert "修订后的课文：量值溯源链。" in measured(viewer, first.url)[1]
    # The learner's own progress: their marks change, nobody else's.
    with django_capture_on_commit_callbacks(execute=True):
        services.complete_lesson(enrolment, second)
    for url in (first.url, course.url):
        assert measured(client, url)[1].count('class="status done"') == 1, url
        assert measured(other, url)[1].count('class="status done"') == 0, url
    assert 'class="done-note"' in measured(client, second.url)[1]
    assert 'class="done-note"' not in measured(other, second.url)[1]


def test_a_visit_is_written_unless_it_repeats_the_last_unit_within_the_minute(
    default_install, tmp_path, catalog
):
    course, _quiz = quiz_course(tmp_path, slug="visit-writes", lessons=3)
    _user, enrolment, client = learner_in(course, "visit-writes-learner")
    first, second, _third = lessons_of(course)

    def updates(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return [q for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]

    assert len(updates(first.url)) == 1  # first visit: where the learner is
    assert updates(first.url) == []  # reloaded at once: already recorded
    assert len(updates(second.url)) == 1  # another unit: written at once
    enrolment.refresh_from_db()
    assert enrolment.last_unit_id == second.pk
    # A minute later the same unit is written again, so "last activity" stays fresh.
    an_hour_ago = enrolment.last_activity_at - timedelta(hours=1)
    type(enrolment).objects.filter(pk=enrolment.pk).update(last_activity_at=an_hour_ago)
    assert len(updates(second.url)) == 1
    enrolment.refresh_from_db()
    assert enrolment.last_activity_at > an_hour_ago + timedelta(minutes=59)


def test_the_dashboard_reads_no_page_and_shows_a_renamed_course_on_the_next_request(
    default_install, tmp_path, catalog, django_capture_on_commit_callbacks
):
    course, quiz = quiz_course(tmp_path, slug="shared-dashboard", lessons=3)
    user, _enrolment, client = learner_in(course, "shared-dashboard-learner")
    attempts.submit_attempt(attempts.start_attempt(user, quiz))
    client.get(lessons_of(course)[0].url)  # a unit to continue from
    sql, html = measured(client, "/dashboard/")
    # Its courses, the unit to continue from and the quiz are kept pages, not joins.
    assert not [q for q in sql if '"wagtailcore_page"' in q["sql"]], [q["sql"] for q in sql]
    assert len(sql) == DASHBOARD_QUERIES, [q["sql"] for q in sql]
    assert f"{course.title} · {quiz.title}" in html
    course.title = "更名后的课程：计量基础"
    with django_capture_on_commit_callbacks(execute=True):
        course.save_revision().publish()
    html = client.get("/dashboard/").content.decode()
    assert html.count("更名后的课程：计量基础") >= 3  # continue card, in progress, the quiz row


def test_the_catalog_of_a_signed_in_learner_reads_only_the_learner(
    default_install, tmp_path, catalog
):
    # The list of courses is shared; which are private is kept for the generation too, where
    # Wagtail's own public() read every view restriction on each request.
    course, _quiz = quiz_course(tmp_path, slug="shared-catalog", lessons=2)
    _user, _enrolment, client = learner_in(course, "shared-catalog-learner")
    client.get("/courses/")
    sql, html = measured(client, "/courses/")
    assert len(sql) == 1 and '"accounts_user"' in sql[0]["sql"], [q["sql"] for q in sql]
    assert f'href="{course.url}"' in html


def test_a_course_page_shows_each_signed_in_person_their_own_enrolment_and_marks(
    default_install, tmp_path, catalog
):
    # The enrolment and the unit marks come from one statement: no enrolment, an enrolment
    # with nothing done and one with a lesson done must each read as such.
    course, _quiz = quiz_course(tmp_path, slug="shared-own", lessons=3)
    _user, enrolment, client = learner_in(course, "shared-own-learner")
    services.complete_lesson(enrolment, lessons_of(course)[0])
    newcomer = get_user_model().objects.create_user("shared-own-newcomer", real_name="新学员")
    other = Client()
    other.force_login(newcomer)

    html = other.get(course.url).content.decode()
    assert "免费报名" in html and 'class="status done"' not in html
    html = client.get(course.url).content.decode()
    assert html.count('class="status done"') == 1 and "从上次的地方继续" not in html
    services.enrol(newcomer, course)
    html = other.get(course.url).content.decode()
    assert "开始学习" in html and "免费报名" not in html
    assert 'class="status done"' not in html
