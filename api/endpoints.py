"""/api/v1/: the read-only API an organisation's own systems call with one of its keys.

Django Ninja rather than Django REST framework with drf-spectacular: Ninja already comes
with Wagtail, its OpenAPI document is generated from the same Pydantic schemas that
validate each response (api/schemas.py), and a read-only API needs none of DRF's
serializer, viewset and router machinery.
"""

import math
import time

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer

from api import keys, queries
from api import schemas as s
from certificates.documents import verify_url
from reports import exports
from serving import ratelimit


class RateLimited(Exception):
    def __init__(self, retry_after):
        self.retry_after = retry_after


class Utf8Renderer(JSONRenderer):
    # Names and titles are Chinese: sent as UTF-8 they stay readable in a log or a terminal,
    # rather than as \uXXXX escapes.
    json_dumps_params = {"ensure_ascii": False}


class KeyAuth(HttpBearer):
    """``Authorization: Bearer qa_…``: an active key, counted against its own limit."""

    def authenticate(self, request, token):
        key = keys.authenticate(token)
        if key is None:
            return None
        limit, window = settings.API_RATE_LIMIT
        if not ratelimit.hit("api", key.pk, limit, window):
            raise RateLimited(math.ceil(window - time.time() % window))
        keys.touch(key)
        return key


api = NinjaAPI(
    title="Quality Academy API",
    version="1",
    description=(
        "Read-only data of one organisation, for its own HR and school systems. "
        "See docs/api.md for keys, pagination and limits."
    ),
    auth=KeyAuth(),
    renderer=Utf8Renderer(),
    urls_namespace="api_v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)

ERRORS = {401: s.Error, 429: s.Error}
PAGED = {400: s.Error, 422: s.Error, **ERRORS}


@api.exception_handler(AuthenticationError)
def unauthorised(request, exc):
    response = api.create_response(
        request,
        {
            "detail": _(
                "A valid API key is needed, sent as “Authorization: Bearer <key>”. The key "
                "is unknown or has been revoked."
            )
        },
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(RateLimited)
def rate_limited(request, exc):
    response = api.create_response(
        request,
        {
            "detail": _("Too many requests with this key; try again in %(s)s seconds.")
            % {"s": exc.retry_after}
        },
        status=429,
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


def _record(request, what, subjects, **parameters):
    """Log the call like a spreadsheet download, in the name of the key's creator."""
    key = request.auth
    subjects = list(subjects)
    exports.log(
        key.created_by,
        f"api.{what}",
        {"organisation": key.organisation_id, "key": key.prefix, **parameters},
        rows=len(subjects),
        subjects=subjects,
    )


def _paging(cursor, updated_since, limit):
    return {"cursor": cursor, "updated_since": updated_since, "limit": limit}


def _member(m):
    return {
        "id": m.pk,
        "name": m.user.real_name,
        "username": m.user.username,
        "email": m.user.email,
        "role": m.role,
        "department": m.department,
        "staff_number": m.staff_number,
        "chief_quality_officer": m.chief_quality_officer,
        "classes": [
            {"id": c.pk, "name": c.name, "role": role} for c, role in getattr(m, "classes", [])
        ],
        "joined_at": m.joined_at,
        "updated_at": m.updated_at,
    }


@api.get("/members", response={200: s.MemberPage, **PAGED}, tags=["people"])
def members(request, cursor: str | None = None, updated_since: str | None = None, limit: int = 100):
    """The organisation's members with role, department, staff number and classes.
    ``updated_since`` gives those who joined or whose role, department, staff number or
    officer standing changed since then; those who left are at ``/departures``."""
    org = request.auth.organisation
    page = queries.members(org, **_paging(cursor, updated_since, limit))
    _record(request, "members", [m.user_id for m in page.items])
    return {"items": [_member(m) for m in page.items], "next_cursor": page.next_cursor}


@api.get("/departures", response={200: s.DeparturePage, **PAGED}, tags=["people"])
def departures(
    request, cursor: str | None = None, updated_since: str | None = None, limit: int = 100
):
    """Members who left the organisation or whose account was deleted, by when they left
    (``updated_since``: since then), so that a sync can remove them. Ids only."""
    page = queries.departures(request.auth.organisation, **_paging(cursor, updated_since, limit))
    return {
        "items": [{"member_id": d.member_id, "left_at": d.left_at} for d in page.items],
        "next_cursor": page.next_cursor,
    }


@api.get("/members/{member_id}", response={200: s.Member, 404: s.Error, **ERRORS}, tags=["people"])
def member(request, member_id: int):
    m = queries.member(request.auth.organisation, member_id)
    _record(request, "member", [m.user_id], member=m.pk)
    return _member(m)


def _certificate_ref(certificate):
    if certificate is None:
        return None
    return {
        "number": certificate.number,
        "state": certificate.state,
        "verify_url": verify_url(certificate),
    }


@api.get(
    "/members/{member_id}/ledger",
    response={200: s.MemberLedger, 404: s.Error, **ERRORS},
    tags=["ledger"],
)
def member_ledger(request, member_id: int):
    """One person's completed courses by year, with hours and certificates."""
    m, years = queries.member_ledger(request.auth.organisation, member_id)
    _record(request, "ledger", [m.user_id], member=m.pk)
    return {
        "member_id": m.pk,
        "name": m.user.real_name,
        "years": [
            {
                "year": y["year"],
                "hours": y["hours"],
                "courses": [
                    {**c, "certificate": _certificate_ref(c["certificate"])} for c in y["courses"]
                ],
            }
            for y in years
        ],
    }


@api.get("/ledger", response={200: s.LedgerPage, **PAGED}, tags=["ledger"])
def ledger(
    request,
    year: int | None = None,
    cursor: str | None = None,
    updated_since: str | None = None,
    limit: int = 100,
):
    """Each member's training hours in ``year`` (this year by default) and in all.
    ``updated_since`` gives those who joined or completed a course since then."""
    year = year or queries.this_year()
    page = queries.ledger(request.auth.organisation, year, **_paging(cursor, updated_since, limit))
    _record(request, "ledger", [r.membership.user_id for r in page.items], year=year)
    return {
        "year": year,
        "items": [
            {
                "member_id": r.membership.pk,
                "name": r.user.real_name,
                "staff_number": r.membership.staff_number,
                "department": r.membership.department,
                "completed": r.completed,
                "in_progress": r.in_progress,
                "hours_year": r.hours_year,
                "hours_total": r.hours_total,
                "certificates_in_force": r.certificates,
            }
            for r in page.items
        ],
        "next_cursor": page.next_cursor,
    }


def _ref(obj):
    return {"id": obj.pk, "title": getattr(obj, "title", None) or obj.name} if obj else None


def _assignment(a):
    return {
        "id": a.pk,
        "course": _ref(a.course),
        "quiz": _ref(a.quiz),
        "opens_at": a.opens_at,
        "due_at": a.due_at,
        "audience": a.audience,
        "department": a.department,
        "classroom": _ref(a.classroom),
        "group": _ref(a.group),
        "created_at": a.created_at,
    }


@api.get("/assignments", response={200: s.AssignmentPage, **PAGED}, tags=["assignments"])
def assignments(
    request, cursor: str | None = None, updated_since: str | None = None, limit: int = 100
):
    """Courses and quizzes set for staff or classes. ``updated_since``: set since then."""
    page = queries.assignments(request.auth.organisation, **_paging(cursor, updated_since, limit))
    return {"items": [_assignment(a) for a in page.items], "next_cursor": page.next_cursor}


@api.get(
    "/assignments/{assignment_id}",
    response={200: s.AssignmentStatuses, 404: s.Error, **ERRORS},
    tags=["assignments"],
)
def assignment(request, assignment_id: int):
    """The assignment and the status of each person it reaches, those needing help first."""
    work, rows = queries.assignment_statuses(request.auth.organisation, assignment_id)
    _record(request, "assignment", [user.pk for _m, user, _c in rows], assignment=work.pk)
    return {
        "assignment": _assignment(work),
        "people": [
            {
                "member_id": m.pk if m else None,
                "name": user.real_name or user.username,
                "status": cell.status,
                "status_label": str(cell.label),
                "score": cell.score,
                "awaiting_grading": cell.awaiting_grading,
            }
            for m, user, cell in rows
        ],
    }


@api.get("/certificates", response={200: s.CertificatePage, **PAGED}, tags=["certificates"])
def certificates(
    request, cursor: str | None = None, updated_since: str | None = None, limit: int = 100
):
    """Certificates of the members, with the public page that verifies each.
    ``updated_since``: issued or revoked since then."""
    page = queries.certificates(request.auth.organisation, **_paging(cursor, updated_since, limit))
    _record(request, "certificates", {c.user_id for c in page.items if c.user_id})
    return {
        "items": [
            {
                "number": c.number,
                "member_id": c.member_id,
                "holder_name": c.holder_name,
                "course_id": c.course_id,
                "course_title": c.course_title,
                "hours": c.hours,
                "completed_on": c.completed_on,
                "issued_at": c.issued_at,
                "expires_on": c.expires_on,
                "revoked_at": c.revoked_at,
                "state": c.state,
                "verify_url": verify_url(c),
            }
            for c in page.items
        ],
        "next_cursor": page.next_cursor,
    }


@api.get("/catalog", response={200: s.CoursePage, **PAGED}, tags=["catalog"])
def catalog(request, cursor: str | None = None, updated_since: str | None = None, limit: int = 100):
    """Live public courses. ``updated_since``: published or republished since then."""
    page = queries.catalog(**_paging(cursor, updated_since, limit))
    return {
        "items": [
            {
                "id": c.pk,
                "title": c.title,
                "summary": c.summary,
                "url": c.get_full_url(request),
                "language": c.language,
                "hours": c.hours,
                "certificate": c.certificate,
                "audiences": [a.slug for a in c.audiences.all()],
                "subjects": [t.slug for t in c.subjects.all()],
                "last_published_at": c.last_published_at,
            }
            for c in page.items
        ],
        "next_cursor": page.next_cursor,
    }
