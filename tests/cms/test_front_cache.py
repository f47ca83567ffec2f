"""What the shared cache holds under the site's generation is kept in front of it in each
process, a bounded few (serving/front.py): shared page parts and whole anonymous pages are not
read from Redis again, and nothing is kept longer than Redis keeps it."""

import os

import pytest
from django.core.cache import cache

from serving import front, pagecache
from serving.front import FrontCache

pytestmark = pytest.mark.django_db

# CI's Redis when the suite runs with it; otherwise the one on this machine.
REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get(
    "TEST_REDIS_URL", "redis://127.0.0.1:6379/15"
)


@pytest.fixture
def redis(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "serving.rediscache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"qa-test-front-{os.getpid()}",
        }
    }


def test_a_value_read_from_the_shared_cache_is_not_read_there_again(redis):
    near = FrontCache(size=3)
    near.set("fragment:g1:zh-hans:lesson-body:x", "<p>计量</p>", 300)
    assert near.get("fragment:g1:zh-hans:lesson-body:x") == "<p>计量</p>"
    cache.delete(near.stored_key("fragment:g1:zh-hans:lesson-body:x"))
    assert near.get("fragment:g1:zh-hans:lesson-body:x") == "<p>计量</p>"
    # A missing value is not remembered: the page renders it and stores it.
    assert near.get("fragment:g1:zh-hans:lesson-body:y") is None
    assert list(near.items) == ["fragment:g1:zh-hans:lesson-body:x"]


def test_nothing_is_kept_longer_than_the_shared_cache_keeps_it(redis, monkeypatch):
    # A lesson body may link media signed for an hour: its copy must not outlive the entry.
    near = FrontCache(size=3)
    now = 1_800_000_000.0
    monkeypatch.setattr(front.time, "time", lambda: now)
    near.set("fragment:g1:en:lesson-body:x", "<img src='signed'>", 300)
    assert near.get("fragment:g1:en:lesson-body:x") == "<img src='signed'>"
    now += 299
    assert near.get("fragment:g1:en:lesson-body:x") == "<img src='signed'>"
    now += 1
    assert near.get("fragment:g1:en:lesson-body:x") is None
    assert not near.items


def test_what_an_earlier_release_stored_under_the_same_key_is_not_read(redis):
    # Before values carried their expiry, a fragment was stored as its bare text.
    near = FrontCache(size=3)
    cache.set("fragment:g1:zh-hans:lesson-body:x", "<p>旧</p>", 300)
    assert near.get("fragment:g1:zh-hans:lesson-body:x") is None
    cache.delete("fragment:g1:zh-hans:lesson-body:x")


def test_the_process_memory_cache_is_not_copied(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    near = FrontCache(size=3)
    near.set("fragment:g1:en:course-units:x", "<ol></ol>", 300)
    assert near.get("fragment:g1:en:course-units:x") == "<ol></ol>"
    assert not near.items


def test_the_front_keeps_the_most_recently_used_few(redis):
    near = FrontCache(size=3)
    for key in "abc":
        near.set(key, key.upper(), 300)
        near.get(key)
    assert near.get("a") == "A"  # now the most recent
    near.set("d", "D", 300)
    near.get("d")
    assert list(near.items) == ["c", "a", "d"]
    cache.delete_many([near.stored_key(key) for key in "abcd"])
    assert [near.get(key) for key in "abcd"] == ["A", None, "C", "D"]


def test_an_anonymous_page_is_served_from_the_front_once_read(
    redis, settings, client, catalog, monkeypatch
):
    settings.PAGE_CACHE_SECONDS = 300
    monkeypatch.setattr(pagecache, "_front", FrontCache(size=50))
    first = client.get("/courses/")
    assert first.status_code == 200 and first["X-Cache"] == "miss"
    assert not pagecache._front.items  # stored in Redis, not yet read back
    second = client.get("/courses/")
    assert second["X-Cache"] == "hit" and second.content == first.content
    (key,) = pagecache._front.items
    cache.delete(
        pagecache._front.stored_key(key)
    )  # gone from Redis: the page read last is still this process's
    third = client.get("/courses/")
    assert third["X-Cache"] == "hit" and third.content == first.content
