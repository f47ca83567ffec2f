"""PyLTI1p3's view of our registrations, and the tool's own keys and addresses."""

from urllib.parse import urlsplit

from django.db import transaction
from django.urls import reverse
from lti_tool.models import Key, LtiDeployment, LtiRegistration
from lti_tool.utils import DjangoToolConfig, _prepare_deployment


class ToolConfig(DjangoToolConfig):
    """django-lti's configuration, except that a deployment id nobody registered is
    refused. django-lti creates an (inactive) deployment row for any id a signed token
    names; a refused launch must leave nothing behind, so the administrator enters each
    deployment id in the Wagtail admin and only those active are accepted."""

    def _known(self, lookups):
        deployment = LtiDeployment.objects.filter(is_active=True, **lookups).first()
        if deployment is None:
            return None
        self.deployment = deployment
        return _prepare_deployment(deployment)

    def find_deployment(self, iss, deployment_id):
        return self._known(
            {
                "registration__uuid": self.registration_uuid,
                "registration__issuer": iss,
                "registration__is_active": True,
                "deployment_id": deployment_id,
            }
        )

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        lookups = {
            "registration__issuer": iss,
            "registration__client_id": client_id,
            "registration__is_active": True,
            "deployment_id": deployment_id,
        }
        if self.registration_uuid is not None:
            lookups["registration__uuid"] = self.registration_uuid
        return self._known(lookups)


def ensure_key():
    """The newest active key, made on first need so that a fresh site has a key set."""
    with transaction.atomic():
        key = Key.objects.active().order_by("-datetime_created").first()
        return key or Key.objects.generate()


def rotate_keys(retire_older_than):
    """A new RS256 key signs from now on; older keys stay published in the key set (a
    platform may hold a token signed with them, or cache our set) until they are older than
    ``retire_older_than``, then they are withdrawn. Returns (new key, number withdrawn)."""
    from django.utils import timezone

    with transaction.atomic():
        new = Key.objects.generate()
        retired = (
            Key.objects.active()
            .exclude(pk=new.pk)
            .filter(datetime_created__lt=timezone.now() - retire_older_than)
            .update(is_active=False)
        )
    return new, retired


def tool_urls(request, registration=None):
    """The addresses an administrator pastes into the platform."""
    absolute = request.build_absolute_uri
    login = reverse("lti:login")
    if registration is not None:
        login = reverse("lti:login_for", args=[registration.uuid])
    return {
        "tool_url": absolute(reverse("lti:launch")),
        "login": absolute(login),
        "launch": absolute(reverse("lti:launch")),
        "redirect_uris": [absolute(reverse("lti:launch"))],
        "jwks": absolute(reverse("lti:jwks")),
        "deep_linking": absolute(reverse("lti:launch")),
    }


def platform_origins():
    """The origins of the active platforms (issuer and login addresses), the only sites
    that may show a launch's answer in a frame."""
    origins = set()
    for row in LtiRegistration.objects.active().values("issuer", "auth_url"):
        for url in row.values():
            parts = urlsplit(url or "")
            if parts.scheme in ("http", "https") and parts.netloc:
                origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)
