from django.urls import path

from reports import views

urlpatterns = [
    path("open-data/", views.open_data_index, name="open_data"),
    path("open-data/training.json", views.summary_json, name="open_data_json"),
    path("open-data/training.csv", views.summary_csv, name="open_data_csv"),
]
