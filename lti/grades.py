"""Assignment and Grade Services: scores go back to the platform's gradebook.

A launch that carries the AGS claim leaves a GradeLink (who, which of our pages, which
resource link, the line item or line-items address). When that person completes the course
or has a quiz attempt graded, one ScorePassback per link is written in the event's own
transaction, and the task worker sends it. Sending locks the row, posts the score, and marks
it sent in the same transaction; a failure leaves it waiting with its error and a later try
time (exponential back-off), so nothing is lost while the platform is down, and the unique
(link, event) row means a score is never queued twice for one event. A score is sent with the
time of the event as its timestamp: should a reply be lost and the score go again, the
platform sees the same score at the same time, which AGS platforms treat as the one result.
"""

from datetime import timedelta
from decimal import Decimal

import requests
from django.db import transaction
from django.utils import timezone
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.service_connector import ServiceConnector

from lti.models import GradeLink, PassbackState, ScorePassback
from lti.tool import ToolConfig

AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=6)
ERROR_CHARS = 1000


class Outage(Exception):
    """The platform cannot take the score now: try again later."""


class Refused(Exception):
    """The platform refused this score for good (a 4xx other than the passing kinds)."""


def backoff(attempts):
    """30 s, 1 min, 2 min, ... at most 6 hours between tries."""
    return min(FIRST_WAIT * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def remember_link(launch, user, page):
    """After an accepted resource-link launch: where this person's scores for ``page`` go,
    if the platform offered grade passback. Returns the link or None."""
    claim = launch.get_claim(AGS_CLAIM) or {}
    scopes = claim.get("scope") or []
    lineitem = claim.get("lineitem") or ""
    lineitems = claim.get("lineitems") or ""
    resource = launch.get_claim("https://purl.imsglobal.org/spec/lti/claim/resource_link") or {}
    if SCOPE_SCORE not in scopes or not (lineitem or lineitems) or not resource.get("id"):
        return None
    link, created = GradeLink.objects.get_or_create(
        user=user,
        registration=launch.registration,
        resource_link_id=str(resource["id"])[:255],
        defaults={
            "page": page,
            "lineitem": lineitem,
            "lineitems": lineitems,
            "scopes": scopes,
        },
    )
    if not created:
        link.page = page
        link.lineitems = lineitems
        link.scopes = scopes
        # A line item we created earlier stays; one the platform names now takes over.
        link.lineitem = lineitem or link.lineitem
        link.save()
    return link


def record(user_id, page_id, event, score, maximum, happened_at):
    """One waiting passback for each grade link of this person and page; returns them.
    Called inside the event's transaction; an event already recorded adds nothing."""
    links = GradeLink.objects.filter(user_id=user_id, page_id=page_id, registration__is_active=True)
    made = []
    for link in links:
        passback, created = ScorePassback.objects.get_or_create(
            link=link,
            event=event,
            defaults={
                "score_given": Decimal(score),
                "score_maximum": Decimal(maximum),
                "happened_at": happened_at,
            },
        )
        if created:
            made.append(passback)
    return made


def _service(link):
    registration = ToolConfig().find_registration_by_params(
        link.registration.issuer, link.registration.client_id
    )
    if registration is None:
        raise Refused("The platform is no longer registered.")
    data = {"scope": link.scopes, "lineitems": link.lineitems}
    if link.lineitem:
        data["lineitem"] = link.lineitem
    return AssignmentsGradesService(ServiceConnector(registration), data)


def _line_item_url(service, link):
    """The line item's address: the launch's, or one found or created in the platform's
    line items for this resource link (scoreMaximum 100, as deep linking declares)."""
    if link.lineitem:
        return link.lineitem
    if SCOPE_LINEITEM not in link.scopes:
        raise Refused("The platform gave no line item and does not let us create one.")
    wanted = (
        LineItem()
        .set_label(link.page.title[:255])
        .set_score_maximum(100)
        .set_resource_id(f"page-{link.page_id}")
        .set_resource_link_id(link.resource_link_id)
    )
    found = service.find_or_create_lineitem(wanted, find_by="resource_id")
    link.lineitem = found.get_id()
    link.save(update_fields=["lineitem", "updated_at"])
    return link.lineitem


def _grade(passback):
    lti_user = passback.link.user.lti_account.lti_user
    return (
        Grade()
        .set_score_given(float(passback.score_given))
        .set_score_maximum(float(passback.score_maximum))
        .set_timestamp(passback.happened_at.isoformat())
        .set_activity_progress("Completed")
        .set_grading_progress("FullyGraded")
        .set_user_id(lti_user.sub)
    )


def _post(passback):
    """Post one score. Raises Outage or Refused."""
    link = passback.link
    try:
        service = _service(link)
        url = _line_item_url(service, link)
        service.put_grade(_grade(passback), LineItem({"id": url}))
    except LtiServiceException as error:
        status = error.response.status_code
        detail = f"HTTP {status}: {error.response.text[:300]}"
        if 400 <= status < 500 and status not in (401, 403, 408, 409, 429):
            raise Refused(detail) from error
        raise Outage(detail) from error
    except (requests.RequestException, OSError) as error:
        raise Outage(str(error)) from error
    except LtiException as error:
        # PyLTI1p3 raises it for a failed access-token request (the platform down or
        # refusing us) as well as for a missing scope.
        raise Outage(str(error)) from error


def send(passback_id, now=None):
    """Send one waiting passback if it is due. Returns the row's state afterwards, or None
    if there was nothing to do (sent already, or taken by another worker)."""
    now = now or timezone.now()
    with transaction.atomic():
        passback = (
            ScorePassback.objects.select_for_update(skip_locked=True)
            .select_related("link__page", "link__registration", "link__user")
            .filter(pk=passback_id, state=PassbackState.WAITING)
            .first()
        )
        if passback is None:
            return None
        if passback.next_try_at > now:
            return passback.state
        # The line item is created once, whichever of the link's scores comes first.
        GradeLink.objects.select_for_update().filter(pk=passback.link_id).first()
        passback.attempts += 1
        try:
            _post(passback)
        except Refused as error:
            passback.state = PassbackState.REFUSED
            passback.last_error = str(error)[:ERROR_CHARS]
        except Outage as error:
            passback.next_try_at = now + backoff(passback.attempts)
            passback.last_error = str(error)[:ERROR_CHARS]
        else:
            passback.state = PassbackState.SENT
            passback.sent_at = timezone.now()
            passback.last_error = ""
        passback.save(update_fields=["state", "attempts", "next_try_at", "sent_at", "last_error"])
    return passback.state
