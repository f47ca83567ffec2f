from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XapiConfig(AppConfig):
    name = "xapi"
    verbose_name = _("Learning records (xAPI)")

    def ready(self):
        from courses import signals
        from xapi import receivers, units  # noqa: F401

        # Content units (SCORM, H5P) come with their signal; until courses defines it there
        # is nothing to listen to, and this app runs the same.
        unit_result = getattr(signals, "unit_result_recorded", None)
        if unit_result is not None:
            unit_result.connect(units.unit_result_recorded, dispatch_uid="xapi-unit-result")
