"""Every kind of change shows on the next request, in the default install (SQLite, no Redis:
the generation is a file beside the database, pages and site state in each process's memory)
and with Redis, while the kept site state and the anonymous page cache are both on."""

import os
import subprocess
import sys

import pytest
import redis
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import Client
from wagtail.models import PageViewRestriction, Site

from cms.models import Branding
from courses import services
from courses.models import CoursePage, LessonPage
from serving import generation
from serving.pagecache import new_generation

pytestmark = pytest.mark.django_db

# CI's Redis when the suite runs with it; otherwise the one on this machine.
REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get(
    "TEST_REDIS_URL", "redis://127.0.0.1:6379/15"
)
NEW_TITLE = "测量不确定度入门（修订版）"


@pytest.fixture(params=["default install", "redis"])
def install(request, settings, tmp_path):
    if request.param == "redis":
        prefix = f"qa-test-generation-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
        settings.CACHES = {
            "default": {
                "BACKEND": "serving.rediscache.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": prefix,
            }
        }
        settings.SITE_GENERATION_FILE = ""
    else:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        settings.SITE_GENERATION_FILE = str(tmp_path / "db.sqlite3-generation")
    settings.SITE_STATE_IN_MEMORY = True
    settings.PAGE_CACHE_SECONDS = 300
    forget_everything(request.param)
    new_generation()
    yield request.param
    forget_everything(request.param)


def forget_everything(install):
    """Empty this test's cache. On Redis only its own keys: ``clear()`` is FLUSHDB, which
    would empty the other test processes' caches in the middle of their tests."""
    cache = caches["default"]
    if install != "redis":
        cache.clear()
        return
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def courses(catalog):
    first, second = CoursePage.objects.live().order_by("path")[:2]
    return first, second


@pytest.fixture
def learner(courses):
    user = get_user_model().objects.create_user("generation-learner", real_name="代际学员")
    enrolment = services.enrol(user, courses[0])
    user.enrolment = enrolment
    return user


@pytest.fixture
def visitor():
    return Client()


@pytest.fixture
def own(learner):
    client = Client()
    client.force_login(learner)
    return client


def lessons(course):
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def warm(visitor, own, *urls):
    """Both clients have seen each page once; the visitor's second visit came from the cache,
    so what follows shows a change getting through what was kept."""
    for url in urls:
        visitor.get(url)
        assert visitor.get(url)["X-Cache"] == "hit", url
        own.get(url)


def test_a_publish_shows_on_the_next_request(
    install, courses, visitor, own, django_capture_on_commit_callbacks
):
    course = courses[0]
    first, second = lessons(course)[:2]
    warm(visitor, own, course.url, second.url)
    with django_capture_on_commit_callbacks(execute=True):
        first.title = NEW_TITLE
        first.save_revision().publish()
    for client in (visitor, own):
        for url in (course.url, second.url):
            assert NEW_TITLE in html(client, url), (install, url)


def test_an_unpublish_shows_on_the_next_request(
    install, courses, visitor, own, django_capture_on_commit_callbacks
):
    course = courses[0]
    first, second = lessons(course)[:2]
    warm(visitor, own, course.url, first.url, second.url)
    with django_capture_on_commit_callbacks(execute=True):
        second.unpublish()
    for client in (visitor, own):
        assert second.title not in html(client, course.url), install
        assert second.title not in html(client, first.url), install
        assert client.get(second.url).status_code == 404


def test_a_move_shows_on_the_next_request(
    install, courses, visitor, own, django_capture_on_commit_callbacks
):
    source, target = courses
    lesson = lessons(source)[0]
    warm(visitor, own, source.url, target.url, lesson.url)
    with django_capture_on_commit_callbacks(execute=True):
        lesson.move(target, pos="last-child")
    lesson.refresh_from_db()
    for client in (visitor, own):
        assert lesson.title not in html(client, source.url), install
        assert lesson.title in html(client, target.url), install
        assert target.title in html(client, lesson.url), install


def test_a_privacy_change_shows_on_the_next_request(
    install, courses, visitor, own, django_capture_on_commit_callbacks
):
    # The newest course: the first the catalog lists.
    course = CoursePage.objects.in_catalog().newest_first().first()
    lesson = lessons(course)[0]
    link = f'href="{course.url}"'
    warm(visitor, own, "/courses/", course.url, lesson.url)
    assert all(link in html(client, "/courses/") for client in (visitor, own))
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=course, restriction_type=PageViewRestriction.PASSWORD, password="zhiliang2026"
        )
    for client in (visitor, own):
        for url in (course.url, lesson.url):
            private = html(client, url)
            assert 'name="password"' in private, (install, url)
            assert lesson.title not in private, (install, url)
        # Nor is it listed in the catalog any more.
        assert link not in html(client, "/courses/"), install
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.filter(page=course).delete()
    for client in (visitor, own):
        assert 'name="password"' not in html(client, lesson.url), install
        assert link in html(client, "/courses/"), install


def test_a_settings_change_shows_on_the_next_request(
    install, courses, visitor, own, django_capture_on_commit_callbacks
):
    course = courses[0]
    warm(visitor, own, "/", course.url)
    own.get("/dashboard/")
    branding = Branding.for_site(Site.objects.get(is_default_site=True))
    with django_capture_on_commit_callbacks(execute=True):
        branding.platform_name = "浦东质量学堂"
        branding.save()
    for url in ("/", course.url):
        assert "浦东质量学堂" in html(visitor, url), (install, url)
    for url in ("/", course.url, "/dashboard/"):
        assert "浦东质量学堂" in html(own, url), (install, url)


def test_a_learners_own_progress_shows_on_the_next_request(
    install, courses, learner, visitor, own, django_capture_on_commit_callbacks
):
    course = courses[0]
    first, second = lessons(course)[:2]
    warm(visitor, own, course.url, second.url)
    before = html(own, course.url).count('class="status done"')
    with django_capture_on_commit_callbacks(execute=True):
        services.complete_lesson(learner.enrolment, first)
    assert html(own, course.url).count('class="status done"') == before + 1, install
    assert 'class="status done"' in html(own, second.url), install
    # Nobody else's page changes: a visitor still gets the page everyone shares.
    again = visitor.get(course.url)
    assert again["X-Cache"] == "hit" and 'class="status done"' not in again.content.decode()


def test_another_process_moving_the_generation_reaches_this_one(
    install, courses, visitor, own, tmp_path
):
    """A change made behind every signal's back (SQL, a shell), then ``manage.py purge_caches``
    run as its own process, as an administrator would: this process drops what it kept."""
    course = courses[0]
    warm(visitor, own, course.url)
    Branding.objects.update(platform_name="松江质量学堂")  # no signal: nobody is told
    assert "松江质量学堂" not in html(visitor, course.url)
    assert "松江质量学堂" not in html(own, course.url)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "SITE_GENERATION_FILE": django_settings.SITE_GENERATION_FILE,
        "REDIS_URL": REDIS_URL if install == "redis" else "",
        "CACHE_KEY_PREFIX": django_settings.CACHES["default"].get("KEY_PREFIX", ""),
    }
    before = generation.read()
    result = subprocess.run(
        [sys.executable, "manage.py", "purge_caches"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert generation.read() != before
    assert "松江质量学堂" in html(visitor, course.url), install
    assert "松江质量学堂" in html(own, course.url), install
