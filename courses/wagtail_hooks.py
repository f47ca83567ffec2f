from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from courses.models import Audience, Subject


class TermViewSet(SnippetViewSet):
    list_display = ["name", "name_en", "slug", "sort_order"]
    search_fields = ["name", "name_en", "slug"]
    ordering = ["sort_order", "slug"]


class AudienceViewSet(TermViewSet):
    model = Audience
    icon = "group"


class SubjectViewSet(TermViewSet):
    model = Subject
    icon = "tag"


class CatalogViewSetGroup(SnippetViewSetGroup):
    items = (AudienceViewSet, SubjectViewSet)
    menu_label = _("Catalog terms")
    menu_icon = "folder-open-inverse"
    menu_order = 200


register_snippet(CatalogViewSetGroup)
