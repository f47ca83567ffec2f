"""Wrong class codes are counted per account and per address, so guessing codes stops fast.

A whole class often shares one address (the school's network), so the address gets a
larger allowance than an account.
"""

from django.core.cache import cache

WINDOW_SECONDS = 15 * 60
MAX_WRONG_PER_USER = 10
MAX_WRONG_PER_ADDRESS = 100


def _limits(request):
    address = request.META.get("REMOTE_ADDR", "")
    return [
        (f"class-join:user:{request.user.pk}", MAX_WRONG_PER_USER),
        (f"class-join:addr:{address}", MAX_WRONG_PER_ADDRESS),
    ]


def blocked(request):
    return any((cache.get(key) or 0) >= limit for key, limit in _limits(request))


def record_wrong(request):
    for key, _limit in _limits(request):
        cache.add(key, 0, WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS)
