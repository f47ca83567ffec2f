"""The site's generation: a token every process reads at the start of a request, replaced
whenever something that pages show changes (serving/pagecache.py says what).

What each process keeps between requests (the site state, whole anonymous pages, the
catalog's shared list) is keyed by it, so it is correct only if every process sees a new
generation on its next request. Two places can tell them all:

- the shared cache (Redis), when there is one: one round trip per request;
- a small file (``SITE_GENERATION_FILE``), by default beside the SQLite database. A SQLite
  database is on one machine, and every process that writes it can write there too; reading
  32 bytes of a file costs microseconds and no database query, so even a page served whole
  from memory costs no more than that. The file is replaced whole (a new file renamed over
  the old), so a reader sees the old token or the new one, never half of one.

With neither (PostgreSQL without Redis) nothing is kept between requests: the settings
turn the site state and the page cache off, since another machine could never be told.
"""

import os
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

GENERATION_KEY = "pagecache:generation"


def _file():
    name = getattr(settings, "SITE_GENERATION_FILE", "")
    return Path(name) if name else None


def read():
    path = _file()
    if path is None:
        return _read_cache()
    try:
        current = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        current = ""
    if not current:
        # First request after installation: whichever process writes last wins, and a
        # process that kept something under the losing token simply rebuilds it.
        current = _write_file(path)
    return current


def bump():
    """Start a new generation: every process drops what it kept on its next request."""
    path = _file()
    if path is None:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    else:
        _write_file(path)


def _read_cache():
    current = cache.get(GENERATION_KEY)
    if current is None:
        current = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, current, None):
            current = cache.get(GENERATION_KEY, current)
    return current


def _write_file(path):
    token = uuid.uuid4().hex
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="ascii") as out:
            out.write(token)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return token
