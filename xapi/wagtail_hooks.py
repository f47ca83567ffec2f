from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from xapi import admin_views


@hooks.register("register_admin_urls")
def xapi_admin_urls():
    return [path("xapi/", admin_views.outbox, name="xapi_outbox")]


class OutboxMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("xapi.view_statement")


@hooks.register("register_admin_menu_item")
def xapi_menu():
    return OutboxMenuItem(
        _("Learning records (xAPI)"), reverse("xapi_outbox"), icon_name="resubmit", order=330
    )
