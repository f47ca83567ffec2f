"""Fixed-window counters in the cache, for pages anyone can hammer."""

import time

from django.core.cache import cache


def client_ip(request):
    # Behind a reverse proxy, the proxy sets REMOTE_ADDR via gunicorn's forwarded-allow-ips.
    return request.META.get("REMOTE_ADDR", "")


def hit(scope, key, limit, window):
    """Count one hit; True while ``key`` has made at most ``limit`` in this ``window`` (s)."""
    bucket = int(time.time() // window)
    name = f"rl:{scope}:{key}:{bucket}"
    cache.add(name, 0, timeout=window + 5)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=window + 5)
        count = 1
    return count <= limit
