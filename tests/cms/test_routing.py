"""A URL finds its page in one lookup (serving/routing.py), with Wagtail's answer every time."""

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from courses.models import CoursePage, LessonPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(catalog):
    return Site.objects.get(is_default_site=True).root_page.specific


def walk(home, components):
    """Wagtail's own routing, one level at a time."""
    try:
        return Page.route(home, RequestFactory().get("/"), components).page
    except Http404:
        return None


def routed(home, components):
    try:
        return home.route(RequestFactory().get("/"), components).page
    except Http404:
        return None


def components(home, page):
    return page.url_path[len(home.url_path) :].strip("/").split("/")


def test_every_page_is_found_as_wagtail_finds_it(home):
    pages = list(home.get_descendants())
    assert len(pages) > 20
    for page in pages:
        path = components(home, page)
        assert routed(home, path) == walk(home, path), page.url_path
        if page.live:
            assert type(routed(home, path)) is page.specific_class


def test_a_unit_is_found_in_two_queries_at_any_depth(home):
    lesson = LessonPage.objects.live().first()
    with CaptureQueriesContext(connection) as ctx:
        assert routed(home, components(home, lesson)) == lesson
    assert len(ctx.captured_queries) == 2  # the page, then its specific type


def test_paths_that_are_not_pages_get_wagtails_answer(home):
    lesson = LessonPage.objects.live().first()
    course = CoursePage.objects.parent_of(lesson).get()
    for path in (
        ["courses", "no-such-course"],
        ["courses", course.slug, "no-such-lesson"],
        ["courses", lesson.slug],  # a lesson's slug one level too high
        [course.slug, lesson.slug],  # a course's path without its catalog
        ["courses", course.slug, lesson.slug, "extra"],
    ):
        assert routed(home, path) is None, path
        assert walk(home, path) is None, path


def test_unpublished_pages_are_not_found_and_their_live_children_are(home):
    lesson = LessonPage.objects.live().first()
    course = CoursePage.objects.parent_of(lesson).get()
    course.unpublish()
    assert routed(home, components(home, course)) is None
    assert routed(home, components(home, lesson)) == lesson == walk(home, components(home, lesson))
    lesson.unpublish()
    assert routed(home, components(home, lesson)) is None
