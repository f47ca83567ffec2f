from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from accounts import admin_views
from accounts.models import Membership, Organisation


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = [
        "name",
        "kind",
        "credit_code",
        "district",
        "industry",
        "size",
        "created_at",
        "admin_verification",
    ]
    list_filter = ["verification", "kind", "district", "size", "industry"]
    search_fields = ["name", "credit_code"]
    form_fields = ["kind", "name", "credit_code", "district", "industry", "size", "joining_open"]
    inspect_view_enabled = True


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Memberships")
    list_display = ["user", "organisation", "role", "department", "staff_number", "joined_at"]
    list_filter = ["role", "organisation__kind", "organisation__district"]
    search_fields = ["user__real_name", "user__username", "user__email", "organisation__name"]
    form_fields = ["role", "department", "staff_number"]


class PeopleGroup(ViewSetGroup):
    menu_label = _("Organisations")
    menu_icon = "group"
    menu_order = 300
    items = (OrganisationViewSet, MembershipViewSet)


@hooks.register("register_admin_viewset")
def register_people():
    return PeopleGroup()


@hooks.register("register_admin_urls")
def organisation_admin_urls():
    return [
        path(
            "organisations/<int:organisation_id>/verify/",
            admin_views.verify_view,
            name="organisation_verify",
        ),
    ]
