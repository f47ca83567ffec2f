"""Pupils of a class from a spreadsheet: the school's pupil import, then into the class."""

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.imports import PupilImport
from accounts.models import Role
from classrooms import services


class PupilImportForClass(PupilImport):
    """Creates the new pupils as the school's import does, and puts every pupil of the file
    (new or already at the school) in the class, in the same transaction."""

    def __init__(self, classroom):
        super().__init__(classroom.school)
        self.classroom = classroom

    def apply_table(self, table):
        with transaction.atomic():
            report, created = super().apply_table(table)
            if created is not None:
                numbers = [row.values["pupil_number"] for row in report.rows]
                pupils = get_user_model().objects.filter(
                    memberships__organisation=self.organisation,
                    memberships__role=Role.LEARNER,
                    memberships__staff_number__in=numbers,
                )
                services.add_pupils(self.classroom, list(pupils))
        return report, created
