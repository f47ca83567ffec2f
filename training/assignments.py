"""Courses a training manager sets for staff, on the shared Assignment model: addressed to
chosen learners (all staff or a department resolve to the people in it at the time)."""

from django.db import transaction
from django.db.models import Count

from classrooms import progress
from classrooms.models import Assignment, AssignmentAudience
from courses import services as learning
from courses.models import EnrolmentSource


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
    return learning.enrol(
        user,
        assignment.course,
        source=EnrolmentSource.ORGANISATION,
        organisation=assignment.organisation,
    )
