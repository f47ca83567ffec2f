"""Courses a training manager sets for staff, on the shared Assignment model.

"All staff" and "a department" are resolved when read, so people who join later (or move into
the department) are reached; chosen people are stored by name. Training managers count as
staff only when chosen by name.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import Membership, Role
from classrooms import notifications, progress
from classrooms.models import Assignment, AssignmentAudience, LearnerStatus
from courses import services as learning
from courses.models import CoursePage, EnrolmentSource, QuizPage
from serving.sitestate import with_shared_pages
from serving.statements import CompiledQuery

WEEK = timedelta(days=7)


def staff_assignments(organisation):
    """The organisation's staff assignments, each with ``people``: how many it reaches."""
    assignments = list(
        Assignment.objects.filter(organisation=organisation, classroom__isnull=True)
        .select_related("course")
        .annotate(chosen=Count("recipients"))
        .order_by("-due_at", "-pk")
    )
    by_department = dict(
        _staff(organisation)
        .order_by()
        .values("department")
        .annotate(n=Count("pk"))
        .values_list("department", "n")
    )
    for a in assignments:
        if a.audience == AssignmentAudience.STAFF:
            a.people = sum(by_department.values())
        elif a.audience == AssignmentAudience.DEPARTMENT:
            a.people = by_department.get(a.department, 0)
        else:
            a.people = a.chosen
    return assignments


def _staff(organisation):
    return organisation.memberships.exclude(role=Role.MANAGER)


def audience_members(assignment):
    """The memberships the assignment reaches now, with their users: one query."""
    organisation = assignment.organisation
    if assignment.audience == AssignmentAudience.STAFF:
        members = _staff(organisation)
    elif assignment.audience == AssignmentAudience.DEPARTMENT:
        members = _staff(organisation).filter(department=assignment.department)
    else:
        members = organisation.memberships.filter(user__assignments_received=assignment)
    return list(members.select_related("user"))


@transaction.atomic
def assign(
    organisation, manager, *, course, opens_at, due_at, audience, department="", user_ids=()
):
    assignment = Assignment.objects.create(
        organisation=organisation,
        course=course,
        opens_at=opens_at,
        due_at=due_at,
        audience=audience,
        department=department if audience == AssignmentAudience.DEPARTMENT else "",
        created_by=manager,
    )
    if audience == AssignmentAudience.LEARNERS:
        assignment.recipients.set(user_ids)
    notifications.schedule(assignment)
    return assignment


def reached_user_ids(organisation, *, audience, department="", user_ids=()):
    """Who an assignment with this audience would reach now (for the duplicate warning)."""
    if audience == AssignmentAudience.STAFF:
        return set(_staff(organisation).values_list("user_id", flat=True))
    if audience == AssignmentAudience.DEPARTMENT:
        members = _staff(organisation).filter(department=department)
        return set(members.values_list("user_id", flat=True))
    return set(user_ids)


def overlapping(organisation, course, user_ids, now=None):
    """Open staff assignments of ``course`` already reaching some of ``user_ids``."""
    now = now or timezone.now()
    user_ids = set(user_ids)
    candidates = Assignment.objects.filter(
        organisation=organisation, classroom__isnull=True, course=course, due_at__gt=now
    )
    found = []
    for a in candidates.select_related("course", "organisation"):
        if user_ids & {m.user_id for m in audience_members(a)}:
            found.append(a)
    return found


def statuses(assignment):
    """[(membership, cell)] for everyone the assignment reaches, needing help first."""
    members = {m.user_id: m for m in audience_members(assignment)}
    cells = progress.statuses([assignment], members, reached={assignment.pk: set(members)})
    rows = [(members[uid], cells[uid, assignment.pk]) for uid in members]
    rows.sort(key=lambda row: (not row[1].needs_help, row[0].department, row[0].user.name_key))
    return rows


# Asked on every staff member's dashboard, mostly to find nothing open.
_OPEN_FOR_STAFF = CompiledQuery(
    lambda user, now: Assignment.objects.for_staff(user).open_now(now).order_by("due_at", "pk"),
    user=(Membership, "user"),
    now=(Assignment, "opens_at"),
)


def for_learner(user, now):
    """Staff assignments reaching ``user`` that are open now, soonest due first."""
    ids = _OPEN_FOR_STAFF.ids(user=user.pk, now=now)
    if not ids:
        return []
    assignments = with_shared_pages(
        Assignment.objects.filter(pk__in=ids)
        .select_related("organisation")
        .order_by("due_at", "pk"),
        course=CoursePage,
        quiz=QuizPage,
    )
    cells = progress.statuses(
        assignments, [user.pk], reached={a.pk: {user.pk} for a in assignments}, now=now
    )
    return [(a, cells[user.pk, a.pk]) for a in assignments]


def open_for(user, assignment_id):
    """The staff assignment reaching ``user`` and open now, or None."""
    return (
        Assignment.objects.for_staff(user)
        .open_now()
        .select_related("course", "organisation")
        .filter(pk=assignment_id)
        .first()
    )


def start(user, assignment):
    return learning.enrol(
        user,
        assignment.course,
        source=EnrolmentSource.ORGANISATION,
        organisation=assignment.organisation,
    )


def manager_attention(user, now):
    """What needs a training manager's attention: open staff assignments with how many are
    overdue, and those due within a week. Four queries at most, for any number of people."""
    membership = (
        Membership.objects.filter(user=user, role=Role.MANAGER)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    if membership is None:
        return None
    open_work = list(
        Assignment.objects.filter(organisation=membership.organisation, classroom__isnull=True)
        .open_now(now)
        .select_related("course")
        .order_by("due_at", "pk")
    )
    reached = progress.audiences(open_work, ())
    everyone = set().union(*reached.values()) if reached else set()
    cells = progress.statuses(open_work, everyone, reached=reached, now=now)
    overdue = {}
    for (user_id, assignment_id), cell in cells.items():
        if cell.status == LearnerStatus.OVERDUE:
            overdue.setdefault(assignment_id, set()).add(user_id)
    for a in open_work:
        a.overdue_count = len(overdue.get(a.pk, ()))
    return {
        "organisation": membership.organisation,
        "overdue_staff": len(set().union(*overdue.values())) if overdue else 0,
        "overdue": [a for a in open_work if a.overdue_count],
        "due_this_week": [a for a in open_work if now <= a.due_at < now + WEEK],
    }
