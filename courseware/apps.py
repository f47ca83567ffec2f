from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursewareConfig(AppConfig):
    name = "courseware"
    verbose_name = _("SCORM and H5P units")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from courseware import receivers  # noqa: F401
