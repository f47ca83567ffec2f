from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XapiConfig(AppConfig):
    name = "xapi"
    verbose_name = _("Learning records (xAPI)")

    def ready(self):
        from courses import signals
        from xapi import receivers, units  # noqa: F401

        signals.unit_result_recorded.connect(
            units.unit_result_recorded, dispatch_uid="xapi-unit-result"
        )
