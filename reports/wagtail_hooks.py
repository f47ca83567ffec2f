from django.urls import include, path, re_path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from reports import admin_views

app_name = "reports_admin"
urlpatterns = [
    path("", admin_views.index, name="index"),
    path("exports/", admin_views.export_log, name="export_log"),
    re_path(r"^figures\.(?P<fmt>csv|xlsx)$", admin_views.export_figures, name="figures"),
    re_path(r"^learners\.(?P<fmt>csv|xlsx)$", admin_views.export_learners, name="learners"),
]


@hooks.register("register_admin_urls")
def report_admin_urls():
    return [path("reports/", include((urlpatterns, app_name)))]


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("reports.view_reports")


@hooks.register("register_admin_menu_item")
def reports_menu():
    return ReportsMenuItem(
        _("Training figures"), reverse("reports_admin:index"), icon_name="table", order=320
    )
