from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from certificates import admin_views

app_name = "certificates_admin"
urlpatterns = [
    path("", admin_views.index, name="index"),
    path("export/", admin_views.export, name="export"),
    path("<int:pk>/", admin_views.detail, name="detail"),
    path("<int:pk>/revoke/", admin_views.revoke, name="revoke"),
    path("<int:pk>/reissue/", admin_views.reissue, name="reissue"),
]


@hooks.register("register_admin_urls")
def certificate_admin_urls():
    return [path("certificates/", include((urlpatterns, app_name)))]


class CertificatesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("certificates.change_certificate")


@hooks.register("register_admin_menu_item")
def certificates_menu():
    return CertificatesMenuItem(
        _("Certificates"), reverse("certificates_admin:index"), icon_name="doc-full", order=310
    )
