"""Wagtail's images, documents, snippets and redirects apps without Wagtail's API v3.

Wagtail 8's own app configs register their routers on ``wagtail.api.v3.api`` in
``ready()``: that builds Django Ninja and pydantic schemas for every page, image, document
and snippet type, and the redirects router pulls in Django REST framework, and with it
psycopg, PyYAML and Pygments, in every process. This site does not install
``wagtail.api.v3`` nor serve its URLs (its API is ``api``, served at /api/v1/), so those
schemas are never used. The configs below do everything Wagtail's do except that last step:
a web worker then takes 28 MB less once the WSGI application is imported and 11 MB less
after the first pages, whose URLconf still brings REST framework in for Wagtail's admin API
(bench/worker_memory.py, demo database).

Each ``ready()`` repeats Wagtail's own minus its API v3 lines; tests/cms/test_wagtail_apps.py
fails when Wagtail's version changes, so that they are compared again before an upgrade.
"""

from django.db.models import ForeignKey
from django.db.models.signals import post_migrate
from wagtail.contrib.redirects.apps import WagtailRedirectsAppConfig
from wagtail.documents.apps import WagtailDocsAppConfig
from wagtail.images.apps import WagtailImagesAppConfig
from wagtail.snippets.apps import WagtailSnippetsAppConfig

# The Wagtail release whose ready() methods the ones below repeat.
WAGTAIL_VERSION = "8.0.1"


class ImagesConfig(WagtailImagesAppConfig):
    def ready(self):
        from wagtail.admin.compare import register_comparison_class
        from wagtail.admin.forms.models import register_form_field_override
        from wagtail.admin.ui.fields import register_display_class
        from wagtail.images import get_image_model, get_permission_policy
        from wagtail.images.components import ImageDisplay
        from wagtail.images.edit_handlers import ImageFieldComparison
        from wagtail.images.signal_handlers import register_signal_handlers
        from wagtail.images.widgets import AdminImageChooser
        from wagtail.models.reference_index import ReferenceIndex
        from wagtail.permissions import register_permission_policy

        Image = get_image_model()
        register_permission_policy(Image, get_permission_policy())
        register_signal_handlers()
        register_form_field_override(ForeignKey, to=Image, override={"widget": AdminImageChooser})
        register_comparison_class(ForeignKey, to=Image, comparison_class=ImageFieldComparison)
        register_display_class(ForeignKey, to=Image, display_class=ImageDisplay)
        ReferenceIndex.register_model(Image)


class DocumentsConfig(WagtailDocsAppConfig):
    def ready(self):
        from wagtail.admin.ui.fields import register_display_class
        from wagtail.documents import get_document_model, get_permission_policy
        from wagtail.documents.components import DocumentDisplay
        from wagtail.documents.signal_handlers import register_signal_handlers
        from wagtail.models.reference_index import ReferenceIndex
        from wagtail.permissions import register_permission_policy

        Document = get_document_model()
        register_permission_policy(Document, get_permission_policy())
        register_signal_handlers()
        register_display_class(ForeignKey, to=Document, display_class=DocumentDisplay)
        ReferenceIndex.register_model(Document)


class SnippetsConfig(WagtailSnippetsAppConfig):
    def ready(self):
        from wagtail.snippets.models import create_extra_permissions, register_deferred_snippets

        register_deferred_snippets()
        post_migrate.connect(create_extra_permissions, sender=self)


class RedirectsConfig(WagtailRedirectsAppConfig):
    def ready(self):
        from wagtail.contrib.redirects.models import Redirect
        from wagtail.contrib.redirects.signal_handlers import (
            autocreate_redirects_on_page_move,
            autocreate_redirects_on_slug_change,
        )
        from wagtail.permissions import register_permission_policy
        from wagtail.signals import page_slug_changed, post_page_move

        register_permission_policy(Redirect)
        post_page_move.connect(autocreate_redirects_on_page_move)
        page_slug_changed.connect(autocreate_redirects_on_slug_change)
