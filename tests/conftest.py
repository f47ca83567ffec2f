from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches

from cms.setup import ensure_site_tree, ensure_workflow
from courses.models import CoursePage
from courses.package.services import import_packages
from courses.quiz.banks import import_bank_folder
from serving.pagecache import new_generation
from tests.s3 import moto_server, s3_storages  # noqa: F401 (fixtures)

CONTENT = Path(settings.BASE_DIR) / "content" / "courses"
BANKS = Path(settings.BASE_DIR) / "content" / "banks"


def build_catalog():
    """The site as the first command leaves it: page tree, workflow, question banks and demo
    catalog (banks first, as ``bootstrap --demo`` does: a package may draw from one)."""
    home = ensure_site_tree()
    ensure_workflow(home)
    import_bank_folder(BANKS)
    import_packages([CONTENT])
    return home


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_catalog()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters and cached lookups must not leak from one test into the next:
    nor what a process kept under a generation whose changes the last test rolled back."""
    clear_own_cache()
    new_generation()
    yield


def _redis_client(backend):
    if hasattr(backend, "_cache") and hasattr(backend._cache, "get_client"):
        return backend._cache.get_client(None, write=True)
    return None


def own_cache_keys(containing=""):
    """The default cache's keys holding ``containing``: with Redis, this worker's only (under
    its key prefix); otherwise the process's own memory."""
    backend = caches["default"]
    client = _redis_client(backend)
    if client is None:
        return [key for key in backend._cache if containing in key]
    pattern = f"{backend.key_prefix}:*{containing}*"
    return [key.decode() for key in client.scan_iter(pattern)]


def clear_own_cache():
    backend = caches["default"]
    client = _redis_client(backend)
    if client is None:
        backend.clear()
        return
    # Redis is shared by parallel workers: delete this worker's keys, not the database.
    keys = own_cache_keys()
    if keys:
        client.delete(*keys)


@pytest.fixture
def catalog(db):
    if not CoursePage.objects.exists():
        build_catalog()
    return CoursePage.objects.live()
