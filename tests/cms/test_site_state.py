"""The site state kept in each process (serving/sitestate.py): signed-in pages skip the lookups
every page repeats, and no change is ever hidden behind what was kept."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from cms.models import Branding
from courses import services
from courses.models import CoursePage, LessonPage
from serving.pagecache import GENERATION_KEY

pytestmark = pytest.mark.django_db

COURSE_SLUG = "metrology-basics"


@pytest.fixture(autouse=True)
def kept(settings):
    settings.SITE_STATE_IN_MEMORY = True


@pytest.fixture
def course(catalog):
    return CoursePage.objects.get(slug=COURSE_SLUG)


@pytest.fixture
def learner_client(client, course):
    learner = get_user_model().objects.create_user("kept-learner", real_name="缓存学员")
    services.enrol(learner, course)
    client.force_login(learner)
    return client


def lessons(course):
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_signed_in_course_pages_skip_the_lookups_every_page_repeats(
    learner_client, course, settings
):
    for url in (course.url, lessons(course)[1].url):
        settings.SITE_STATE_IN_MEMORY = False
        walked = queries(learner_client, url)
        settings.SITE_STATE_IN_MEMORY = True
        kept = queries(learner_client, url)
        # Site, home page, Branding, privacy (two) and the course's units (three) at least.
        assert kept <= walked - 8, (url, walked, kept)


def test_a_published_unit_title_shows_on_the_next_request(
    learner_client, course, django_capture_on_commit_callbacks
):
    first, second = lessons(course)[:2]
    assert first.title in learner_client.get(second.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        first.title = "测量不确定度入门（修订）"
        first.save_revision().publish()
    for url in (second.url, course.url):
        assert "测量不确定度入门（修订）" in learner_client.get(url).content.decode(), url


def test_an_unpublished_unit_leaves_the_course_at_once(
    learner_client, course, django_capture_on_commit_callbacks
):
    first, second = lessons(course)[:2]
    assert second.title in learner_client.get(course.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        second.unpublish()
    assert second.title not in learner_client.get(course.url).content.decode()
    assert second.title not in learner_client.get(first.url).content.decode()
    assert learner_client.get(second.url).status_code == 404


def test_a_renamed_course_moves_its_lessons(
    learner_client, course, django_capture_on_commit_callbacks
):
    lesson = lessons(course)[0]
    old_url = lesson.url
    assert learner_client.get(old_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        course.slug = "metrology-basics-2026"
        course.save_revision().publish()
    lesson.refresh_from_db()
    assert lesson.url != old_url
    assert learner_client.get(lesson.url).status_code == 200
    moved = learner_client.get(old_url)  # Wagtail's redirect from the old slug
    assert moved.status_code == 301 and moved["Location"] == lesson.url


def test_a_branding_change_reaches_every_page(learner_client, django_capture_on_commit_callbacks):
    assert "质量学堂" in learner_client.get("/dashboard/").content.decode()
    branding = Branding.for_site(Site.objects.get(is_default_site=True))
    with django_capture_on_commit_callbacks(execute=True):
        branding.platform_name = "浦东质量学堂"
        branding.save()
    for url in ("/dashboard/", "/"):
        assert "浦东质量学堂" in learner_client.get(url).content.decode(), url


def test_making_a_course_private_takes_effect_at_once(
    learner_client, course, django_capture_on_commit_callbacks
):
    lesson = lessons(course)[0]
    assert learner_client.get(lesson.url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=course, restriction_type=PageViewRestriction.PASSWORD, password="zhiliang2026"
        )
    private = learner_client.get(lesson.url)
    assert private.status_code == 200
    assert lesson.title not in private.content.decode()
    assert 'name="password"' in private.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.filter(page=course).delete()
    assert lesson.title in learner_client.get(lesson.url).content.decode()


def test_each_site_keeps_its_own_answer(client, catalog, django_capture_on_commit_callbacks):
    home = Site.objects.get(is_default_site=True).root_page
    with django_capture_on_commit_callbacks(execute=True):
        other = Site.objects.create(hostname="jiading.example.cn", root_page=home)
        Branding.objects.create(site=other, platform_name="嘉定质量学堂")
    assert "嘉定质量学堂" in client.get("/", HTTP_HOST="jiading.example.cn").content.decode()
    assert "嘉定质量学堂" not in client.get("/").content.decode()


def test_purge_caches_drops_what_was_kept_after_a_change_behind_the_admins_back(
    learner_client,
):
    assert "质量学堂" in learner_client.get("/dashboard/").content.decode()
    Branding.objects.update(platform_name="松江质量学堂")  # no signal: nobody is told
    assert "松江质量学堂" not in learner_client.get("/dashboard/").content.decode()
    call_command("purge_caches", stdout=StringIO())
    assert "松江质量学堂" in learner_client.get("/dashboard/").content.decode()


def test_a_signed_in_page_reads_the_site_generation_once(learner_client, course, monkeypatch):
    """Each lookup used to read the generation from the shared cache: five round trips for a
    lesson, each a network hop when the cache is on another machine. The same holds for the
    file the default install reads it from."""
    from django.core.cache import caches

    from serving import generation

    url = lessons(course)[1].url
    learner_client.get(url)
    default = caches["default"]
    read, generation_reads = [], []
    real_get = default.get
    real_read = generation.read

    def get(key, *args, **kwargs):
        read.append(key)
        return real_get(key, *args, **kwargs)

    def read_generation():
        generation_reads.append(GENERATION_KEY)
        return real_read()

    monkeypatch.setattr(default, "get", get)
    monkeypatch.setattr(generation, "read", read_generation)
    page = learner_client.get(url)
    assert page.status_code == 200 and course.title in page.content.decode()
    assert len(generation_reads) == 1, generation_reads
    assert read.count(GENERATION_KEY) <= 1, read  # with Redis, that one read is a cache read
    assert not [key for key in read if "site_root_paths" in key], read


def test_a_public_pages_restrictions_are_answered_without_building_sql(course, monkeypatch):
    """Wagtail's serve hook asks every page served for its view restrictions."""
    lesson = lessons(course)[0]
    lesson.get_view_restrictions()  # kept for the generation
    built = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler, "as_sql", lambda self, *a, **k: built.append(1) or original(self, *a, **k)
    )
    restrictions = lesson.get_view_restrictions()
    assert list(restrictions) == [] and not restrictions.exists()
    assert built == []
    # Still a queryset for those that narrow it: it stays empty.
    assert not restrictions.filter(restriction_type=PageViewRestriction.PASSWORD).exists()
