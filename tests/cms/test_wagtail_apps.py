"""Wagtail's images, documents, snippets and redirects apps as the site installs them
(cms/wagtail_apps.py): all of Wagtail's set-up but its API v3, which the site does not serve."""

import subprocess
import sys

import wagtail
from django.conf import settings
from django.db.models import CASCADE, ForeignKey
from wagtail.admin.forms.models import registry as form_field_overrides
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.widgets import AdminImageChooser
from wagtail.models.reference_index import ReferenceIndex
from wagtail.signals import page_slug_changed, post_page_move

from cms.wagtail_apps import WAGTAIL_VERSION


def test_the_configs_were_compared_with_the_installed_wagtail():
    # On a new Wagtail, compare each ready() in cms/wagtail_apps.py with Wagtail's own
    # (wagtail/images/apps.py and the others) and copy what is new but the API v3 lines.
    assert wagtail.__version__ == WAGTAIL_VERSION


def test_wagtail_set_up_is_kept():
    image, document = get_image_model(), get_document_model()
    assert image in ReferenceIndex.indexed_models
    assert document in ReferenceIndex.indexed_models
    override = form_field_overrides.get(ForeignKey(image, on_delete=CASCADE))
    assert override["widget"] is AdminImageChooser
    assert post_page_move.has_listeners()
    assert page_slug_changed.has_listeners()


def test_a_web_worker_starts_without_wagtails_api():
    code = (
        "import sys; from cms.wsgi import application; "
        "print(sorted(m for m in ('wagtail.api.v3.api', 'rest_framework') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
