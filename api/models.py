"""Keys an organisation's own systems read its data with. Only a hash of the secret is kept:
a copy of the database lets nobody call the API."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def of(self, organisation):
        return self.filter(organisation=organisation)


class ApiKey(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(_("name"), max_length=80)
    # The public part of the key, shown in lists so that a manager can tell keys apart, and
    # the index a request's key is found by before its secret is compared.
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="api_keys"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="api_key_has_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix})"

    @property
    def is_revoked(self):
        return self.revoked_at is not None


class Departure(models.Model):
    """A member who left the organisation (or whose account was deleted): only the member id
    the API gave out and when, so that a nightly sync can remove them from its own records.
    Nothing else about the person is kept.

    The organisation is a plain id, not a foreign key: deleting an organisation deletes its
    memberships first, and the departures noted then must not hold up its own deletion."""

    organisation_id = models.BigIntegerField(db_index=True)
    member_id = models.BigIntegerField()
    left_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["left_at", "pk"]

    def __str__(self):
        return f"{self.member_id} left {self.left_at:%Y-%m-%d}"
