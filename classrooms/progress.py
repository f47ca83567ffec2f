"""Each learner's standing on each assignment, read from the learning records in bulk.

Whatever the number of learners and assignments, this costs four queries: who each
assignment reaches (groups and chosen learners), enrolments, and quiz attempts summed per
learner and quiz. The learning records are the truth; nothing here is stored twice.
"""

from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.utils import timezone

from accounts.models import Membership, Role
from classrooms.models import Assignment, AssignmentAudience, ClassGroup, LearnerStatus
from courses.models import AttemptStatus, Enrolment, QuizAttempt


@dataclass
class Cell:
    status: str
    score: float | None = None  # best quiz score, or course progress in per cent
    awaiting_grading: bool = False

    @property
    def label(self):
        return LearnerStatus(self.status).label

    @property
    def needs_help(self):
        return self.status in (LearnerStatus.OVERDUE, LearnerStatus.FAILED)


def audiences(assignments, class_pupil_ids):
    """{assignment id: set of user ids it reaches}, in three queries at most.

    "All staff" and "a department" are resolved now, from the organisations' memberships
    (training managers only when chosen by name), so people who joined later are reached.
    """
    group_ids = {a.group_id for a in assignments if a.audience == AssignmentAudience.GROUP}
    by_group = {}
    if group_ids:
        for group_id, user_id in ClassGroup.members.through.objects.filter(
            classgroup_id__in=group_ids
        ).values_list("classgroup_id", "user_id"):
            by_group.setdefault(group_id, set()).add(user_id)
    chosen_ids = [a.pk for a in assignments if a.audience == AssignmentAudience.LEARNERS]
    by_assignment = {}
    if chosen_ids:
        for assignment_id, user_id in Assignment.recipients.through.objects.filter(
            assignment_id__in=chosen_ids
        ).values_list("assignment_id", "user_id"):
            by_assignment.setdefault(assignment_id, set()).add(user_id)
    staff_audiences = (AssignmentAudience.STAFF, AssignmentAudience.DEPARTMENT)
    organisation_ids = {a.organisation_id for a in assignments if a.audience in staff_audiences}
    staff = {}  # organisation id -> [(department, user id)]
    if organisation_ids:
        for organisation_id, department, user_id in (
            Membership.objects.filter(organisation_id__in=organisation_ids)
            .exclude(role=Role.MANAGER)
            .values_list("organisation_id", "department", "user_id")
        ):
            staff.setdefault(organisation_id, []).append((department, user_id))
    reached = {}
    for a in assignments:
        if a.audience == AssignmentAudience.CLASS:
            reached[a.pk] = set(class_pupil_ids)
        elif a.audience == AssignmentAudience.GROUP:
            reached[a.pk] = by_group.get(a.group_id, set())
        elif a.audience == AssignmentAudience.STAFF:
            reached[a.pk] = {user_id for _d, user_id in staff.get(a.organisation_id, ())}
        elif a.audience == AssignmentAudience.DEPARTMENT:
            reached[a.pk] = {
                user_id for d, user_id in staff.get(a.organisation_id, ()) if d == a.department
            }
        else:
            reached[a.pk] = by_assignment.get(a.pk, set())
    return reached


def statuses(assignments, user_ids, reached=None, now=None):
    """{(user id, assignment id): Cell} for every learner an assignment reaches."""
    now = now or timezone.now()
    user_ids = list(user_ids)
    if reached is None:
        reached = audiences(assignments, user_ids)
    course_ids = {a.course_id for a in assignments if not a.quiz_id}
    quiz_ids = {a.quiz_id for a in assignments if a.quiz_id}
    enrolments = {}
    if course_ids and user_ids:
        for row in Enrolment.objects.filter(user_id__in=user_ids, course_id__in=course_ids).values(
            "user_id", "course_id", "progress", "completed_at", "last_activity_at"
        ):
            enrolments[row["user_id"], row["course_id"]] = row
    attempts = {}
    if quiz_ids and user_ids:
        rows = (
            QuizAttempt.objects.filter(user_id__in=user_ids, quiz_id__in=quiz_ids)
            .values("user_id", "quiz_id")
            .annotate(
                best=Max("score", filter=Q(status=AttemptStatus.FINISHED)),
                passed=Count("pk", filter=Q(passed=True)),
                finished=Count("pk", filter=Q(status=AttemptStatus.FINISHED)),
                awaiting=Count("pk", filter=Q(status=AttemptStatus.AWAITING_GRADING)),
                open=Count("pk", filter=Q(status=AttemptStatus.IN_PROGRESS)),
            )
        )
        for row in rows:
            attempts[row["user_id"], row["quiz_id"]] = row
    cells = {}
    for a in assignments:
        overdue = now > a.due_at
        for user_id in reached.get(a.pk, ()):
            if a.quiz_id:
                cell = _quiz_cell(attempts.get((user_id, a.quiz_id)))
            else:
                cell = _course_cell(enrolments.get((user_id, a.course_id)))
            if overdue and cell.status in (LearnerStatus.NOT_STARTED, LearnerStatus.IN_PROGRESS):
                cell.status = LearnerStatus.OVERDUE
            cells[user_id, a.pk] = cell
    return cells


def _course_cell(row):
    if row is None:
        return Cell(LearnerStatus.NOT_STARTED)
    if row["completed_at"] is not None:
        return Cell(LearnerStatus.COMPLETED, 100)
    if row["progress"] or row["last_activity_at"]:
        return Cell(LearnerStatus.IN_PROGRESS, row["progress"])
    return Cell(LearnerStatus.NOT_STARTED, 0)


def _quiz_cell(row):
    if row is None:
        return Cell(LearnerStatus.NOT_STARTED)
    best = float(row["best"]) if row["best"] is not None else None
    if row["passed"]:
        return Cell(LearnerStatus.PASSED, best)
    if row["awaiting"]:
        # Submitted: the work is done, the teacher's grade is what is missing.
        return Cell(LearnerStatus.COMPLETED, best, awaiting_grading=True)
    if row["open"]:
        return Cell(LearnerStatus.IN_PROGRESS, best)
    if row["finished"]:
        return Cell(LearnerStatus.FAILED, best)
    return Cell(LearnerStatus.NOT_STARTED)


def overlapping(classroom, *, course, quiz, user_ids, now=None):
    """The class's assignments of the same course (and quiz) still open to any of ``user_ids``.

    Three queries at most: the class's pupils, the candidate assignments and their audiences.
    """
    now = now or timezone.now()
    candidates = list(
        Assignment.objects.of_classroom(classroom)
        .filter(course=course, quiz=quiz, due_at__gt=now)
        .select_related("course", "quiz", "group")
    )
    if not candidates:
        return []
    pupil_ids = classroom.pupils.values_list("user_id", flat=True)
    reached = audiences(candidates, pupil_ids)
    return [a for a in candidates if reached[a.pk] & set(user_ids)]


def pupil_assignments(user, classroom=None, now=None):
    """[(assignment, cell)] open to ``user`` in their active classes, soonest due first."""
    now = now or timezone.now()
    assignments = (
        Assignment.objects.addressed_to(user)
        .filter(classroom__archived_at__isnull=True, classroom__pupils__user=user)
        .open_now(now)
        .select_related("course", "quiz", "classroom")
        .order_by("due_at", "pk")
    )
    if classroom is not None:
        assignments = assignments.filter(classroom=classroom)
    assignments = list(assignments)
    reached = {a.pk: {user.pk} for a in assignments}
    cells = statuses(assignments, [user.pk], reached=reached, now=now)
    return [(a, cells[user.pk, a.pk]) for a in assignments]
