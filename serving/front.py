"""Values of the shared cache whose keys name the site's generation, kept in front of it in
each process: whole anonymous pages (serving/pagecache.py) and the parts of signed-in pages
everyone shares (serving/fragments.py).

What such a key holds never changes, so a value read once from Redis can be served again
from the process's own memory, sparing the round trip and the unpickling. It is still kept
no longer than the shared cache keeps it: each value is stored with the moment it expires,
because a page may carry links that stop working (media signed for an hour, see
docs/operations.md, PAGE_CACHE_SECONDS). Where the default cache is the process's own memory
already (the default install) nothing is copied. Bounded: pages and lesson bodies are large
and a city has many.
"""

import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache


class FrontCache:
    # Names the stored form, (expires, value): a value stored by an earlier release in another
    # form, under a key of the same generation, is never read as this one.
    FORM = "front1"

    def __init__(self, size):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        """The value stored under ``key`` and not yet expired, or None."""
        if settings.CACHES["default"]["BACKEND"].endswith(".LocMemCache"):
            entry = cache.get(self.stored_key(key))
        else:
            entry = self._recent(key)
            if entry is None:
                entry = cache.get(self.stored_key(key))
                if entry is not None:
                    self._keep(key, entry)
        if entry is None:
            return None
        expires, value = entry
        if expires <= time.time():
            with self.lock:
                self.items.pop(key, None)
            return None
        return value

    def set(self, key, value, seconds):
        cache.set(self.stored_key(key), (time.time() + seconds, value), seconds)

    def stored_key(self, key):
        """The key in the shared cache."""
        return f"{self.FORM}:{key}"

    def _recent(self, key):
        with self.lock:
            entry = self.items.get(key)
            if entry is not None:
                self.items.move_to_end(key)
            return entry

    def _keep(self, key, entry):
        with self.lock:
            self.items[key] = entry
            if len(self.items) > self.size:
                self.items.popitem(last=False)
