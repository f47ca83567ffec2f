"""Creating, checking and revoking API keys.

A key reads ``qa_<prefix>_<secret>``. The prefix finds the row; the secret, 256 random
bits, is kept only as its SHA-256. A slow password hash buys nothing for a secret that
cannot be guessed, and a fast one keeps every request cheap. The comparison takes the same
time wherever the digests differ.
"""

import hashlib
import hmac
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Membership, Role, VerificationStatus
from api.models import ApiKey

SCHEME = "qa"


def _digest(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create(organisation, user, name):
    """(key row, the whole key): the whole key exists only in this return value."""
    for _attempt in range(5):
        prefix = secrets.token_hex(4)
        secret = secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                key = ApiKey.objects.create(
                    organisation=organisation,
                    created_by=user,
                    name=name,
                    prefix=prefix,
                    secret_hash=_digest(secret),
                )
        except IntegrityError:  # the 32-bit prefix was taken: draw again
            continue
        return key, f"{SCHEME}_{prefix}_{secret}"
    raise RuntimeError("no free key prefix after five draws")


def authenticate(token):
    """The active key ``token`` is, with its organisation, or None."""
    scheme, _sep, rest = (token or "").partition("_")
    prefix, _sep, secret = rest.partition("_")
    if scheme != SCHEME or not prefix or not secret or len(prefix) > 12:
        return None
    # A key speaks for the manager who made it: it works only while that person still
    # manages the organisation (an account that has gone is revoked by api.receivers; one
    # that left or lost the role simply stops opening it) and the organisation is verified.
    creator_manages = Membership.objects.filter(
        user=OuterRef("created_by"), organisation=OuterRef("organisation"), role=Role.MANAGER
    )
    key = (
        ApiKey.objects.active()
        .filter(created_by__isnull=False, organisation__verification=VerificationStatus.VERIFIED)
        .filter(Exists(creator_manages))
        .select_related("organisation", "created_by")
        .filter(prefix=prefix)
        .first()
    )
    if key is None or not hmac.compare_digest(key.secret_hash, _digest(secret)):
        return None
    return key


def touch(key, now=None):
    """Note the key's use, for the manager's list (one UPDATE, no read)."""
    key.last_used_at = now or timezone.now()
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=key.last_used_at)


def revoke(key, now=None):
    if key.revoked_at is None:
        key.revoked_at = now or timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


def revoke_created_by(user, now=None):
    """Keys vouched for by a person who is going: they stop working with the account."""
    return ApiKey.objects.filter(created_by=user, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
