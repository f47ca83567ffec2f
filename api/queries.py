"""What the API reads, built on the queries the organisation's own pages use (training's
staff progress and ledger, classrooms' assignment statuses, courses' catalog), so the API
and the pages never disagree. Each function costs a fixed number of queries whatever the
size of the organisation."""

from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone

from accounts.models import Membership
from api import paging
from api.models import Departure
from certificates.models import Certificate
from classrooms import progress as class_progress
from classrooms.models import Assignment, ClassPupil, Classroom
from courses.models import CoursePage, Enrolment
from training import assignments as staff_work
from training import progress


def _members(organisation):
    return organisation.memberships.select_related("user")


def _member_changed(since):
    return Q(updated_at__gte=since)


def departures(organisation, **paging_args):
    """A page of the members who have left, by when they left."""
    return paging.page(
        Departure.objects.filter(organisation_id=organisation.pk), "left_at", **paging_args
    )


def members(organisation, **paging_args):
    """A page of memberships, each with ``classes``: the classes at this school the person
    sits in or teaches (empty for an enterprise)."""
    page = paging.page(_members(organisation), "joined_at", changed=_member_changed, **paging_args)
    classes = _classes(organisation, [m.user_id for m in page.items])
    for membership in page.items:
        membership.classes = classes.get(membership.user_id, [])
    return page


def _classes(organisation, user_ids):
    if not organisation.is_school or not user_ids:
        return {}
    found = {}
    for row in ClassPupil.objects.filter(
        classroom__school=organisation, user_id__in=user_ids
    ).select_related("classroom"):
        found.setdefault(row.user_id, []).append((row.classroom, "pupil"))
    taught = Classroom.teachers.through.objects.filter(
        classroom__school=organisation, user_id__in=user_ids
    ).select_related("classroom")
    for row in taught:
        found.setdefault(row.user_id, []).append((row.classroom, "teacher"))
    return found


def member(organisation, membership_id):
    try:
        return _members(organisation).get(pk=membership_id)
    except Membership.DoesNotExist as exc:
        raise Http404 from exc


def ledger(organisation, year, **paging_args):
    """A page of (membership, StaffRow): completed courses, hours in ``year`` and in all,
    from training's staff progress. With ``updated_since``, the people who joined or
    completed a course since then."""

    def changed(since):
        completed = Enrolment.objects.filter(user=OuterRef("user"), completed_at__gte=since)
        return Q(joined_at__gte=since) | Q(Exists(completed))

    page = paging.page(_members(organisation), "joined_at", changed=changed, **paging_args)
    rows, _required = progress.staff_progress(
        organisation.memberships.filter(pk__in=[m.pk for m in page.items]).order_by(
            "joined_at", "pk"
        ),
        year=year,
    )
    page.items = rows
    return page


def member_ledger(organisation, membership_id):
    membership = member(organisation, membership_id)
    return membership, progress.ledger(membership.user)


def assignments(organisation, **paging_args):
    queryset = Assignment.objects.filter(organisation=organisation).select_related(
        "course", "quiz", "classroom", "group"
    )
    return paging.page(
        queryset, "created_at", changed=lambda since: Q(created_at__gte=since), **paging_args
    )


def assignment_statuses(organisation, assignment_id):
    """(assignment, [(membership or None, user, cell)]) for everyone it reaches now."""
    try:
        work = Assignment.objects.select_related("course", "quiz", "classroom", "organisation").get(
            pk=assignment_id, organisation=organisation
        )
    except (Assignment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if work.classroom_id is None:
        return work, [(m, m.user, cell) for m, cell in staff_work.statuses(work)]
    pupil_ids = list(work.classroom.pupils.values_list("user_id", flat=True))
    cells = class_progress.statuses([work], pupil_ids)
    reached = [user_id for user_id, assignment_id in cells if assignment_id == work.pk]
    memberships = {m.user_id: m for m in _members(organisation).filter(user_id__in=reached)}
    users = {
        p.user_id: p.user
        for p in ClassPupil.objects.filter(
            classroom=work.classroom, user_id__in=reached
        ).select_related("user")
    }
    rows = [(memberships.get(uid), users[uid], cells[uid, work.pk]) for uid in reached]
    rows.sort(key=lambda row: (not row[2].needs_help, row[1].name_key, row[1].pk))
    return work, rows


def certificates(organisation, **paging_args):
    """Certificates held by the organisation's members (replaced ones left out), each with
    ``member_id``. A revocation counts as a change for ``updated_since``."""
    member_id = Membership.objects.filter(organisation=organisation, user=OuterRef("user")).values(
        "pk"
    )[:1]
    queryset = (
        Certificate.objects.current()
        .filter(user__memberships__organisation=organisation)
        .annotate(member_id=Subquery(member_id))
    )
    return paging.page(
        queryset,
        "issued_at",
        changed=lambda since: Q(issued_at__gte=since) | Q(revoked_at__gte=since),
        **paging_args,
    )


def catalog(**paging_args):
    return paging.page(
        CoursePage.objects.in_catalog(),
        "last_published_at",
        changed=lambda since: Q(last_published_at__gte=since),
        **paging_args,
    )


def this_year():
    return timezone.localdate().year
