from django.urls import path

from lti import roster_views, views

app_name = "lti"
urlpatterns = [
    path("lti/jwks.json", views.jwks, name="jwks"),
    path("lti/login/", views.login_initiation, name="login"),
    path("lti/login/<uuid:registration_uuid>/", views.login_initiation, name="login_for"),
    path("lti/launch/", views.launch_view, name="launch"),
    path("lti/deep-link/", views.deep_link_choice, name="deep_link"),
    path("lti/roster/<str:token>/", roster_views.pull, name="roster"),
]
