"""Login slips: the one-time passwords of pupils just imported, kept for printing.

The initial passwords exist only in the response that creates them. So that the teacher can
print the slips (a second request), they are kept in the cache for SLIP_MINUTES, bound to
the teacher's browser session (a digest of its key), and expire there by themselves; they are
never written to the database. They are kept by import batch rather than inside the session
so that deleting an account can find them: the slips of a deleted pupil lose that pupil, and
those of a deleted teacher go (``forget_person``, run by ``accounts.services.delete_account``).
Each pupil must choose a new password at the first sign-in, which makes a slip useless after.
"""

import hashlib
import time
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from accounts.models import ImportBatch, ImportKind

SLIP_MINUTES = 60


def _key(batch_id):
    return f"class-login-slips:{batch_id}"


def _holder(request):
    if not request.session.session_key:
        request.session.save()
    return hashlib.sha256(request.session.session_key.encode()).hexdigest()


def keep(request, batch, created):
    expires = time.time() + SLIP_MINUTES * 60
    value = {"session": _holder(request), "expires": expires, "created": created}
    cache.set(_key(batch.pk), value, SLIP_MINUTES * 60)


def kept(request, batch):
    """The slips of ``batch`` if this browser session made them within the hour, else None."""
    value = cache.get(_key(batch.pk))
    if value is None or value["expires"] <= time.time() or value["session"] != _holder(request):
        return None
    return value["created"]


def forget(batch):
    cache.delete(_key(batch.pk))


def forget_person(user):
    """``user``'s account is going: drop the slips they made, and their own slip from the
    slips of their school's recent imports."""
    recent = ImportBatch.objects.filter(
        kind=ImportKind.PUPILS,
        applied_at__gte=timezone.now() - timedelta(minutes=SLIP_MINUTES),
    )
    for batch_id in recent.filter(uploaded_by=user).values_list("pk", flat=True):
        cache.delete(_key(batch_id))
    schools = user.memberships.values("organisation_id")
    for batch_id in recent.filter(organisation_id__in=schools).values_list("pk", flat=True):
        value = cache.get(_key(batch_id))
        if value is None:
            continue
        left = [slip for slip in value["created"] if slip["username"] != user.username]
        if len(left) == len(value["created"]):
            continue
        remaining = int(value["expires"] - time.time())
        if left and remaining > 0:
            cache.set(_key(batch_id), {**value, "created": left}, remaining)
        else:
            cache.delete(_key(batch_id))
