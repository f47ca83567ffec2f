from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from courses import admin_views
from courses.models import Audience, BankQuestion, QuestionBank, Subject


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


class QuestionBankViewSet(ModelViewSet):
    model = QuestionBank
    icon = "form"
    menu_label = _("Question banks")
    list_display = ["name", "slug", "subject", "organisation", "admin_actions"]
    list_filter = ["subject"]
    search_fields = ["name", "slug"]
    form_fields = ["name", "slug", "subject", "organisation"]


class BankQuestionViewSet(ModelViewSet):
    model = BankQuestion
    icon = "help"
    menu_label = _("Questions")
    list_display = ["name", "qtype", "bank", "updated_at", "admin_preview"]
    list_filter = ["bank", "qtype"]
    search_fields = ["name", "text"]
    form_fields = ["bank", "name", "text"]


class QuizGroup(ViewSetGroup):
    menu_label = _("Question banks")
    menu_icon = "form"
    menu_order = 250
    items = (QuestionBankViewSet, BankQuestionViewSet)


@hooks.register("register_admin_viewset")
def register_quiz_admin():
    return QuizGroup()


@hooks.register("register_admin_urls")
def quiz_admin_urls():
    return [
        path("banks/<int:bank_id>/import/", admin_views.import_view, name="bank_import"),
        path("banks/<int:bank_id>/export/", admin_views.export_view, name="bank_export"),
        path(
            "questions/<int:question_id>/preview/",
            admin_views.preview_view,
            name="question_preview",
        ),
    ]
