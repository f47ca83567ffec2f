"""Names and Role Provisioning: a teacher pulls a platform course's roster into a class.

An instructor's launch carrying the NRPS claim records the course's membership address
(RosterSource) and is handed a signed link to the pull page. The teacher opens it signed in
with their own teacher's account here and picks one of the classes they teach. The platform's
learners become platform-scoped accounts (the same accounts their own launches sign in to)
and pupils of the class and of its school. Pulling again adds newcomers only: nobody is
removed, renamed or moved, whatever the platform's list now says.
"""

from django.core import signing
from django.db import transaction
from lti_tool.models import LtiUser
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector

from accounts.models import Membership, Role
from accounts.roles import forget_many
from classrooms.services import add_pupils
from lti.launch import account_for
from lti.models import RosterPull, RosterSource
from lti.tool import ToolConfig

NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
CONTEXT_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/context"
SALT = "lti.roster"
MAX_AGE = 24 * 60 * 60  # the link from a launch serves for a day; launch again after
LEARNER_ROLE = "#Learner"


class RosterUnavailable(Exception):
    """The platform did not give its roster; nothing was changed."""


def remember_source(launch):
    """After an instructor's accepted launch with the NRPS claim: the roster's source and
    the signed token for the pull page, or None without the claim."""
    claim = launch.get_claim(NRPS_CLAIM) or {}
    context = launch.get_claim(CONTEXT_CLAIM) or {}
    url = claim.get("context_memberships_url")
    if not url or not context.get("id"):
        return None
    source, _ = RosterSource.objects.update_or_create(
        registration=launch.registration,
        context_id=str(context["id"])[:255],
        defaults={"memberships_url": url, "title": str(context.get("title") or "")[:255]},
    )
    return signing.dumps(source.pk, salt=SALT)


def source_from(token):
    try:
        pk = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    return (
        RosterSource.objects.select_related("registration")
        .filter(pk=pk, registration__is_active=True)
        .first()
    )


def _members(source):
    registration = ToolConfig().find_registration_by_params(
        source.registration.issuer, source.registration.client_id
    )
    if registration is None:
        raise RosterUnavailable("not registered")
    service = NamesRolesProvisioningService(
        ServiceConnector(registration),
        {"context_memberships_url": source.memberships_url, "service_versions": ["2.0"]},
    )
    try:
        return service.get_members()
    except (LtiException, LtiServiceException, OSError) as error:
        raise RosterUnavailable(str(error)) from error


def _is_learner(member):
    roles = member.get("roles") or []
    active = (member.get("status") or "Active") == "Active"
    return active and bool(member.get("user_id")) and any(r.endswith(LEARNER_ROLE) for r in roles)


def pull(source, classroom):
    """Fetch the roster, then add its active learners who are not yet in ``classroom``.
    Returns how many were added. Raises RosterUnavailable with nothing changed."""
    members = [member for member in _members(source) if _is_learner(member)]
    with transaction.atomic():
        users = []
        for member in members:
            sub = str(member["user_id"])[:255]
            lti_user, _ = LtiUser.objects.select_for_update().get_or_create(
                registration=source.registration,
                sub=sub,
                defaults={
                    "name": str(member.get("name") or "")[:255],
                    "given_name": str(member.get("given_name") or "")[:255],
                    "family_name": str(member.get("family_name") or "")[:255],
                },
            )
            users.append(account_for(lti_user, member))
        present = set(classroom.pupils.values_list("user_id", flat=True))
        newcomers = [user for user in users if user.pk not in present]
        members_of_school = set(
            Membership.objects.filter(
                organisation=classroom.school, user__in=newcomers
            ).values_list("user_id", flat=True)
        )
        joining = [user.pk for user in newcomers if user.pk not in members_of_school]
        Membership.objects.bulk_create(
            Membership(user_id=user_id, organisation=classroom.school, role=Role.LEARNER)
            for user_id in joining
        )
        # After commit: a page read before it would keep the old answer for ten minutes.
        transaction.on_commit(lambda: forget_many(joining))
        add_pupils(classroom, newcomers)
        record, _ = RosterPull.objects.get_or_create(classroom=classroom, source=source)
        record.added = len(newcomers)
        record.save(update_fields=["added", "pulled_at"])
    return len(newcomers)
