from django.urls import path

from api import views
from api.endpoints import api

urlpatterns = [
    path("org/api-keys/", views.key_list, name="api_keys"),
    path("org/api-keys/<int:key_id>/revoke/", views.key_revoke, name="api_key_revoke"),
    path("api/v1/", api.urls),
]
