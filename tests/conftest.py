from pathlib import Path

import pytest
from django.conf import settings

from cms.setup import ensure_site_tree, ensure_workflow
from courses.models import CoursePage
from courses.package.services import import_packages

CONTENT = Path(settings.BASE_DIR) / "content" / "courses"


def build_catalog():
    """The site as the first command leaves it: page tree, workflow and demo catalog."""
    home = ensure_site_tree()
    ensure_workflow(home)
    import_packages([CONTENT])
    return home


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        build_catalog()


@pytest.fixture
def catalog(db):
    if not CoursePage.objects.exists():
        build_catalog()
    return CoursePage.objects.live()
