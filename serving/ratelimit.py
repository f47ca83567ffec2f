"""Fixed-window counters in the cache, for pages anyone can hammer, and the client's address
they are kept for."""

import contextlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request):
    """The address of the client, as our own reverse proxies saw it.

    With ``TRUSTED_PROXY_COUNT`` = 0 (no proxy, the development default) that is the
    connection's peer, REMOTE_ADDR. Behind n proxies, each of which appends the address it
    was connected from to X-Forwarded-For (nginx's ``$proxy_add_x_forwarded_for``), it is
    the n-th entry from the right: the one the outermost proxy appended. Entries to its left
    came from the client and are never read, so nobody can pick their own address by
    sending the header. A header with fewer entries than proxies, or an entry that is not an
    address, means the request did not come the usual way round: REMOTE_ADDR then.
    allauth takes its address from here too (accounts.adapter).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    entries = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(entries) < count:
        return remote
    try:
        return str(ipaddress.ip_address(entries[-count].strip()))
    except ValueError:
        return remote


def client_key(request):
    """What a per-address limit counts: the client's address, or for IPv6 its /64 network,
    which one household or machine usually has whole (as allauth counts for sign-ins).
    Otherwise a single IPv6 client could take a fresh address for every try."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return address


def _bucket(scope, key, window):
    return f"rl:{scope}:{key}:{int(time.time() // window)}"


def _count(name, window):
    cache.add(name, 0, timeout=window + 5)
    try:
        return cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=window + 5)
        return 1


def hit(scope, key, limit, window):
    """Count one hit; True while ``key`` has made at most ``limit`` in this ``window`` (s)."""
    return _count(_bucket(scope, key, window), window) <= limit


def take(limits):
    """Count one try against every ``(scope, key, limit, window)``: a receipt for
    ``give_back`` when all of them allow it, None when one refuses.

    A refused try is not counted at all, so that somebody who carries on after being
    stopped does not use up a limit they share with others (a school's address).
    """
    taken = []
    for scope, key, limit, window in limits:
        name = _bucket(scope, key, window)
        taken.append(name)
        if _count(name, window) > limit:
            give_back(taken)
            return None
    return taken


def give_back(receipt):
    """Uncount a try ``take`` counted: it turned out not to be a guess (the right name, a
    valid class code). Counting first and giving back afterwards, rather than counting
    only wrong guesses, keeps simultaneous guesses from all passing a check of the count."""
    for name in receipt or ():
        with contextlib.suppress(ValueError):  # the window ended meanwhile
            cache.decr(name)
