from django.urls import path

from certificates import views

urlpatterns = [
    path("certificates/verify/", views.verify_form, name="certificate_verify_form"),
    path("certificates/verify/<str:code>/", views.verify, name="certificate_verify"),
    path("certificates/<int:pk>/pdf/", views.download_pdf, name="certificate_pdf"),
    path(
        "certificates/<int:pk>/credential/",
        views.download_credential,
        name="certificate_credential",
    ),
    path(".well-known/jwks.json", views.jwks, name="certificate_jwks"),
    path("org/certificates/", views.organisation_certificates, name="organisation_certificates"),
    path("certificates/exports/<int:pk>/", views.export_status, name="certificate_export"),
    path(
        "certificates/exports/<int:pk>/download/",
        views.export_download,
        name="certificate_export_download",
    ),
]
