"""What the tool keeps beside django-lti's registrations, deployments, keys and users.

django-lti (``lti_tool``) holds the platforms' registrations and deployments, our signing
keys and the platform users seen in launches. This app adds what LTI's security needs and
django-lti leaves out: each id_token nonce recorded once, and the mark on the accounts
that launches create.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UsedNonce(models.Model):
    """A nonce of an accepted id_token. PyLTI1p3 only checks that the nonce was issued by
    our login step and keeps it, so the same token and state would be accepted again; the
    unique constraint makes the second use fail in the database, whatever the race."""

    issuer = models.CharField(max_length=255)
    nonce = models.CharField(max_length=255)
    used_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "nonce"], name="lti_nonce_used_once")
        ]

    def __str__(self):
        return f"{self.issuer} {self.nonce}"


class PlatformAccount(models.Model):
    """An account created by a launch: it belongs to one platform's person (the
    registration and the ``sub`` claim of django-lti's LtiUser), has no usable password and
    is never staff. Its presence is the mark that the account came from a platform."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_account"
    )
    lti_user = models.OneToOneField(
        "lti_tool.LtiUser", on_delete=models.CASCADE, related_name="platform_account"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("platform account")
        verbose_name_plural = _("platform accounts")

    def __str__(self):
        return f"{self.lti_user.registration}: {self.lti_user.sub}"
