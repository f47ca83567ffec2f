"""The Redis cache keeps one client per connection pool (serving/rediscache.py) and still
behaves as Django's: values round-trip, many keys at once, counters, expiry."""

import os

import pytest
import redis
from django.core.cache.backends.redis import RedisCacheClient

from serving.rediscache import RedisCache

# CI's Redis when the suite runs with it; otherwise the one on this machine.
REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get(
    "TEST_REDIS_URL", "redis://127.0.0.1:6379/15"
)


@pytest.fixture
def cache():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis is not answering at {REDIS_URL}")
    prefix = f"qa-test-rediscache-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    yield backend
    # Only this test's keys: clear() is FLUSHDB, under the other test processes' feet.
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def test_one_client_serves_every_call(cache):
    first = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is first
    assert isinstance(cache._cache, RedisCacheClient)
    # Django's own client builds a new one per call: the reason for this backend.
    assert (
        RedisCacheClient([REDIS_URL]).get_client() is not RedisCacheClient([REDIS_URL]).get_client()
    )


def test_values_round_trip_as_with_djangos_backend(cache):
    cache.set("课程", {"标题": "计量基础", "课时": 2})
    assert cache.get("课程") == {"标题": "计量基础", "课时": 2}
    cache.set_many({"a": 1, "b": [1, 2]})
    assert cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": [1, 2]}
    assert cache.incr("a") == 2
    assert cache.add("a", 5) is False
    cache.delete_many(["a", "b"])
    assert cache.get("a", "gone") == "gone"
    cache.set("brief", 1, timeout=0)  # a timeout of 0 stores nothing
    assert cache.get("brief") is None
