from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views

handler500 = views.server_error

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("courses.urls")),
    path("", include("classrooms.urls")),
    path("", include("certificates.urls")),
    path("", include("reports.urls")),
    path("", include("training.urls")),
    path("", include("api.urls")),
    path("", include("lti.urls")),
    path("courseware/", include("courseware.urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", views.search, name="search"),
    path("healthz", views.healthz, name="healthz"),
    path("language/<str:language>/", views.switch_language, name="switch_language"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
