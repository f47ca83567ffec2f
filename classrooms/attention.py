"""What needs a teacher's attention in each class they teach, for their dashboard.

Seven queries at most, however many classes, pupils and assignments: the classes, their
open assignments, their pupils, groups and chosen pupils, enrolments and quiz attempts.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from classrooms import progress
from classrooms.models import Assignment, AssignmentAudience, ClassPupil, Classroom, LearnerStatus

WEEK = timedelta(days=7)


@dataclass
class ClassAttention:
    classroom: Classroom
    overdue_pupils: int = 0
    to_grade: int = 0
    # The assignment whose page lists the essays to grade, when there is any.
    grading_assignment: Assignment | None = None
    due_this_week: list = field(default_factory=list)

    @property
    def quiet(self):
        return not (self.overdue_pupils or self.to_grade or self.due_this_week)


def teacher_attention(user, now):
    """[ClassAttention] for each active class ``user`` teaches, by class name."""
    classes = list(Classroom.objects.taught_by(user).active().order_by("name", "pk"))
    if not classes:
        return []
    rows = {c.pk: ClassAttention(c) for c in classes}
    assignments = list(
        Assignment.objects.filter(classroom_id__in=rows)
        .open_now(now)
        .select_related("course", "quiz")
        .order_by("due_at", "pk")
    )
    pupils = {}
    for classroom_id, user_id in ClassPupil.objects.filter(classroom_id__in=rows).values_list(
        "classroom_id", "user_id"
    ):
        pupils.setdefault(classroom_id, set()).add(user_id)
    reached = progress.audiences(assignments, ())
    for a in assignments:
        if a.audience == AssignmentAudience.CLASS:
            reached[a.pk] = pupils.get(a.classroom_id, set())
    everyone = set().union(*reached.values()) if reached else set()
    cells = progress.statuses(assignments, everyone, reached=reached, now=now)
    by_pk = {a.pk: a for a in assignments}
    overdue = {}
    for (user_id, assignment_id), cell in cells.items():
        a = by_pk[assignment_id]
        row = rows[a.classroom_id]
        if cell.status == LearnerStatus.OVERDUE:
            overdue.setdefault(a.classroom_id, set()).add(user_id)
        if cell.awaiting_grading:
            row.to_grade += 1
            row.grading_assignment = row.grading_assignment or a
    for a in assignments:
        if now <= a.due_at < now + WEEK:
            rows[a.classroom_id].due_this_week.append(a)
    for classroom_id, users in overdue.items():
        rows[classroom_id].overdue_pupils = len(users)
    return list(rows.values())
