"""Who may see which organisation's people. Every lookup goes through these, so an id from
another organisation is simply not found (404), never shown.

What an organisation may do to people is decided here too: an unverified organisation is
refused with a 403 page that says why (``require_verified``), and a school reaches only the
accounts it created itself (``controlled_pupil``).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Membership, Role, VerificationStatus


class OrganisationNotVerified(PermissionDenied):
    """Raised for an organisation an administrator has not verified yet; the 403 page shows
    the message, which names the organisation and says what it may and may not do."""


def require_verified(organisation):
    """Let ``organisation`` act on people (import staff, create pupils, reset passwords, see
    answer keys, grade) only once verified; otherwise raise OrganisationNotVerified."""
    if not organisation.is_verified:
        raise OrganisationNotVerified(
            _(
                "%(name)s is waiting to be verified by the platform's administrators. Until "
                "then it may invite people with its code, but it may not import staff, create "
                "pupil accounts, reset passwords, see answer keys or grade. The administrators "
                "check that the organisation exists, that its credit code is in the national "
                "register and that the person who registered it acts for it."
            )
            % {"name": organisation.name}
        )
    return organisation


def _first_organisation(memberships):
    membership = memberships.select_related("organisation").order_by("pk").first()
    if membership is None:
        raise Http404
    return membership.organisation


def managed_organisation(user):
    """The organisation where the user is a training manager (the first), or 404."""
    return _first_organisation(Membership.objects.filter(user=user, role=Role.MANAGER))


def teaching_school(user):
    """The school where the user teaches or manages: teachers look after its pupils."""
    return _first_organisation(Membership.objects.filter(user=user).teaching())


def member_of(organisation, membership_id):
    try:
        return Membership.objects.select_related("user").get(
            pk=membership_id, organisation=organisation
        )
    except (Membership.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def controlled_pupil(school, membership_id):
    """The membership of a pupil whose account ``school`` created and still alone controls
    (``MembershipQuerySet.controlled_by``), or 404 whatever the reason; resetting and
    deleting accounts both go through here."""
    membership = (
        Membership.objects.controlled_by(school)
        .select_related("user")
        .filter(pk=membership_id)
        .first()
        if isinstance(membership_id, int)
        else None
    )
    if membership is None:
        raise Http404
    return membership


def teaches_at_a_school(user, *, verified=False):
    """Whether the user teaches (or manages) at some school; with ``verified``, at a school an
    administrator has verified (what a teacher's guide, which carries answers, asks)."""
    memberships = Membership.objects.filter(user=user).teaching()
    if verified:
        memberships = memberships.filter(organisation__verification=VerificationStatus.VERIFIED)
    return memberships.exists()
