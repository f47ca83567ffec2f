"""Shared page parts read from Redis are kept in front of it in each process, a bounded few
(serving/fragments.py): their keys name the site's generation, so they never go stale."""

import os

import pytest
from django.core.cache import cache

from serving import fragments

pytestmark = pytest.mark.django_db

# CI's Redis when the suite runs with it; otherwise the one on this machine.
REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get(
    "TEST_REDIS_URL", "redis://127.0.0.1:6379/15"
)


@pytest.fixture
def front(monkeypatch):
    recent = fragments._Recent(size=3)
    monkeypatch.setattr(fragments, "_recent", recent)
    return recent


def test_a_fragment_read_from_the_shared_cache_is_not_read_there_again(settings, front):
    settings.CACHES = {
        "default": {
            "BACKEND": "serving.rediscache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"qa-test-front-{os.getpid()}",
        }
    }
    cache.set("fragment:g1:zh-hans:lesson-body:x", "<p>计量</p>")
    assert fragments._get("fragment:g1:zh-hans:lesson-body:x") == "<p>计量</p>"
    cache.delete("fragment:g1:zh-hans:lesson-body:x")
    assert fragments._get("fragment:g1:zh-hans:lesson-body:x") == "<p>计量</p>"
    # A missing fragment is not remembered: it is rendered and stored by the page.
    assert fragments._get("fragment:g1:zh-hans:lesson-body:y") is None
    assert list(front.items) == ["fragment:g1:zh-hans:lesson-body:x"]


def test_the_process_memory_cache_is_not_copied(settings, front):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.set("fragment:g1:en:course-units:x", "<ol></ol>")
    assert fragments._get("fragment:g1:en:course-units:x") == "<ol></ol>"
    assert not front.items


def test_the_front_keeps_the_most_recently_used_few(front):
    for key in "abc":
        front.put(key, key.upper())
    assert front.get("a") == "A"  # now the most recent
    front.put("d", "D")
    assert front.get("b") is None
    assert [front.get(key) for key in "acd"] == ["A", "C", "D"]
    assert len(front.items) == 3
