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


def clear_own_cache():
    backend = caches["default"]
    if hasattr(backend, "_cache") and hasattr(backend._cache, "get_client"):
        # Redis is shared by parallel workers: delete this worker's keys, not the database.
        client = backend._cache.get_client(None, write=True)
        keys = list(client.scan_iter(f"{backend.key_prefix}:*"))
        if keys:
            client.delete(*keys)
    else:
        backend.clear()


@pytest.fixture
def catalog(db):
    if not CoursePage.objects.exists():
        build_catalog()
    return CoursePage.objects.live()
