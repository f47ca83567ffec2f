from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportRecord(models.Model):
    """Who downloaded which personal data, when: kept for the data-protection record."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)
    what = models.CharField(max_length=80)
    parameters = models.JSONField(default=dict)
    rows = models.PositiveIntegerField(null=True, blank=True)
    # Whose data the file held, so that each person's own data export can list the exports
    # that included them (docs/privacy.md); a deleted person's link goes with their account.
    subjects = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="exports_including"
    )

    class Meta:
        ordering = ["-at"]
        verbose_name = _("export of personal data")
        verbose_name_plural = _("exports of personal data")
        permissions = [("view_reports", _("Can read the training reports"))]

    def __str__(self):
        return f"{self.username} · {self.what} · {self.at:%Y-%m-%d %H:%M}"
