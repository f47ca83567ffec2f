"""Who may see which organisation's people. Every lookup goes through these, so an id from
another organisation is simply not found (404), never shown."""

from django.http import Http404

from accounts.models import Membership, OrganisationKind, Role


def membership_with_role(user, *roles, kind=None):
    """The user's membership in an organisation where they hold one of ``roles``, or 404."""
    memberships = Membership.objects.filter(user=user, role__in=roles).select_related(
        "organisation"
    )
    if kind:
        memberships = memberships.filter(organisation__kind=kind)
    membership = memberships.order_by("pk").first()
    if membership is None:
        raise Http404
    return membership


def managed_organisation(user):
    return membership_with_role(user, Role.MANAGER).organisation


def teaching_school(user):
    """The school where the user teaches or manages: teachers look after its pupils."""
    return membership_with_role(
        user, Role.TEACHER, Role.MANAGER, kind=OrganisationKind.SCHOOL
    ).organisation


def member_of(organisation, membership_id):
    try:
        return Membership.objects.select_related("user").get(
            pk=membership_id, organisation=organisation
        )
    except (Membership.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def teaches_at_a_school(user):
    """Whether the user teaches (or manages) at some school: what a teacher's guide asks."""
    return Membership.objects.filter(
        user=user, role__in=[Role.TEACHER, Role.MANAGER], organisation__kind=OrganisationKind.SCHOOL
    ).exists()
