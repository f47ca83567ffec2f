"""Courses a training manager sets for staff, on the shared Assignment model: addressed to
chosen learners (all staff or a department resolve to the people in it at the time)."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Count

from accounts.models import Membership, Role
from classrooms import notifications, progress
from classrooms.models import Assignment, AssignmentAudience, LearnerStatus
from courses import services as learning
from courses.models import EnrolmentSource

WEEK = timedelta(days=7)


def staff_assignments(organisation):
    return (
        Assignment.objects.filter(organisation=organisation, classroom__isnull=True)
        .select_related("course")
        .annotate(people=Count("recipients"))
        .order_by("-due_at", "-pk")
    )


@transaction.atomic
def assign(organisation, manager, *, course, opens_at, due_at, user_ids):
    assignment = Assignment.objects.create(
        organisation=organisation,
        course=course,
        opens_at=opens_at,
        due_at=due_at,
        audience=AssignmentAudience.LEARNERS,
        created_by=manager,
    )
    assignment.recipients.set(user_ids)
    notifications.schedule(assignment)
    return assignment


def statuses(assignment):
    """[(membership, cell)] for everyone the assignment reaches, needing help first."""
    user_ids = list(assignment.recipients.values_list("pk", flat=True))
    cells = progress.statuses([assignment], user_ids, reached={assignment.pk: set(user_ids)})
    members = {
        m.user_id: m
        for m in assignment.organisation.memberships.filter(user_id__in=user_ids).select_related(
            "user"
        )
    }
    rows = [(members[uid], cells[uid, assignment.pk]) for uid in user_ids if uid in members]
    rows.sort(key=lambda row: (not row[1].needs_help, row[0].department, row[0].user.name_key))
    return rows


def for_learner(user, now):
    """Staff assignments reaching ``user`` that are open now, soonest due first."""
    assignments = list(
        Assignment.objects.filter(classroom__isnull=True, recipients=user)
        .open_now(now)
        .select_related("course", "quiz", "organisation")
        .order_by("due_at", "pk")
    )
    cells = progress.statuses(
        assignments, [user.pk], reached={a.pk: {user.pk} for a in assignments}, now=now
    )
    return [(a, cells[user.pk, a.pk]) for a in assignments]


def start(user, assignment):
    return learning.enrol(user, assignment.course, source=EnrolmentSource.ORGANISATION)


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
