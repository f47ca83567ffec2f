from django.urls import path

from courseware import views

app_name = "courseware"

urlpatterns = [
    path("c/<int:unit_id>/<str:token>/<path:path>", views.package_file, name="file"),
    path("units/<int:unit_id>/commit/", views.commit, name="commit"),
]
