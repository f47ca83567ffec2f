from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from lti_tool.models import LtiDeployment, LtiRegistration
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from lti import admin_views


class RegistrationViewSet(ModelViewSet):
    """A platform (Moodle, Canvas, ...) that may launch our courses."""

    model = LtiRegistration
    icon = "link"
    menu_label = _("Platforms")
    list_display = ["name", "issuer", "client_id", "is_active"]
    search_fields = ["name", "issuer", "client_id"]
    form_fields = [
        "name",
        "issuer",
        "client_id",
        "audience",
        "auth_url",
        "token_url",
        "keyset_url",
        "is_active",
    ]


class DeploymentViewSet(ModelViewSet):
    """Each deployment id a platform's administrator reports; launches naming any other
    deployment are refused."""

    model = LtiDeployment
    icon = "list-ul"
    menu_label = _("Deployments")
    list_display = ["registration", "deployment_id", "is_active"]
    list_filter = ["registration", "is_active"]
    form_fields = ["registration", "deployment_id", "is_active"]


class LtiGroup(ViewSetGroup):
    menu_label = _("LTI 1.3")
    menu_icon = "link"
    menu_order = 330
    items = (RegistrationViewSet("lti_registrations"), DeploymentViewSet("lti_deployments"))


@hooks.register("register_admin_viewset")
def register_lti():
    return LtiGroup()


@hooks.register("register_admin_urls")
def lti_admin_urls():
    return [
        path("lti/configuration/", admin_views.configuration, name="lti_configuration"),
        path("lti/passbacks/", admin_views.passbacks, name="lti_passbacks"),
    ]


class ConfigurationMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("lti_tool.view_ltiregistration")


@hooks.register("register_admin_menu_item")
def lti_configuration_menu():
    return ConfigurationMenuItem(
        _("LTI tool configuration"), reverse("lti_configuration"), icon_name="cog", order=331
    )


class PassbacksMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("lti.view_scorepassback")


@hooks.register("register_admin_menu_item")
def lti_passbacks_menu():
    return PassbacksMenuItem(
        _("LTI grade passback"), reverse("lti_passbacks"), icon_name="resubmit", order=332
    )
