from django.urls import path

from accounts import views

urlpatterns = [
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/profile/export/", views.export_data, name="profile_export"),
    path("accounts/profile/delete/", views.delete_account, name="profile_delete"),
    path("org/", views.organisation, name="organisation"),
    path("org/register/", views.register_organisation, name="organisation_register"),
    path("org/join/", views.join, name="organisation_join"),
    path("org/join/<str:code>/", views.join, name="organisation_join_code"),
    path("org/invite/renew/", views.renew_invite_code, name="organisation_renew_code"),
    path("org/members/<int:membership_id>/", views.member, name="organisation_member"),
    path("org/import/<str:kind>/", views.import_upload, name="import_upload"),
    path("org/imports/<int:batch_id>/", views.import_preview, name="import_preview"),
    path("school/pupils/", views.pupils, name="pupils"),
    path("school/pupils/new/", views.pupil_new, name="pupil_new"),
    path(
        "school/pupils/<int:membership_id>/password/",
        views.pupil_reset_password,
        name="pupil_reset_password",
    ),
    path("school/pupils/<int:membership_id>/delete/", views.pupil_delete, name="pupil_delete"),
]
