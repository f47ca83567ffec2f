"""The class report: pupils against the class's assignments, those who need help first."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from classrooms import progress
from classrooms.models import Assignment
from classrooms.models.assignment import URGENCY

SORTS = ("help", "name")


@dataclass
class PupilRow:
    user: object
    cells: list = field(default_factory=list)  # one Cell or None per assignment, in order

    @property
    def needs_help(self):
        return sum(1 for cell in self.cells if cell is not None and cell.needs_help)

    @property
    def urgency(self):
        ranks = [URGENCY[cell.status] for cell in self.cells if cell is not None]
        return min(ranks, default=len(URGENCY))


@dataclass
class ClassReport:
    classroom: object
    assignments: list
    rows: list

    @property
    def needing_help(self):
        return sum(1 for row in self.rows if row.needs_help)


def class_report(classroom, sort="help", now=None):
    """The report in a fixed number of queries (five), however many pupils and assignments."""
    User = get_user_model()
    pupils = list(
        User.objects.filter(class_places__classroom=classroom)
        .only("pk", "username", "real_name")
        .order_by("name_key", "username")
    )
    assignments = list(
        Assignment.objects.of_classroom(classroom)
        .select_related("course", "quiz")
        .only("pk", "audience", "group_id", "course__title", "quiz__title", "opens_at", "due_at")
        .order_by("due_at", "pk")
    )
    for a in assignments:
        a.sort_key = f"a{a.pk}"
    ids = [p.pk for p in pupils]
    reached = progress.audiences(assignments, ids)
    cells = progress.statuses(assignments, ids, reached=reached, now=now)
    rows = [PupilRow(p, [cells.get((p.pk, a.pk)) for a in assignments]) for p in pupils]
    rows = sort_rows(rows, assignments, sort)
    return ClassReport(classroom, assignments, rows)


def sort_rows(rows, assignments, sort):
    if sort == "name":
        return rows  # already by name
    column = next((i for i, a in enumerate(assignments) if a.sort_key == sort), None)
    if column is not None:
        return sorted(rows, key=lambda row: _cell_key(row.cells[column]))
    return sorted(rows, key=lambda row: (-row.needs_help, row.urgency))


def _cell_key(cell):
    if cell is None:
        return (len(URGENCY) + 1, 0)
    return (URGENCY[cell.status], cell.score if cell.score is not None else -1)
