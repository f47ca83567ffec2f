from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassroomsConfig(AppConfig):
    name = "classrooms"
    verbose_name = _("Classes and assignments")

    def ready(self):
        from classrooms import receivers  # noqa: F401
