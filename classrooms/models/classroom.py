"""A class of pupils at a school, taught by one or more of its teachers."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import PEOPLE_ROLES
from courses.models import GradeBand

JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_CODE_LENGTH = 6


def new_join_code():
    # Six characters without look-alikes: read from a projector and typed on a phone.
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class ClassroomQuerySet(models.QuerySet):
    def taught_by(self, user):
        """Classes ``user`` teaches at a school where they still teach (or manage)."""
        return self.filter(
            teachers=user,
            school__memberships__user=user,
            school__memberships__role__in=PEOPLE_ROLES,
        )

    def active(self):
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)

    def attended_by(self, user):
        return self.filter(pupils__user=user)


class Classroom(models.Model):
    school = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="classrooms",
    )
    name = models.CharField(_("class name"), max_length=60)
    grade_band = models.CharField(_("stage"), max_length=10, choices=GradeBand.choices)
    grade = models.PositiveSmallIntegerField(_("grade"))
    school_year = models.PositiveSmallIntegerField(
        _("school year"), help_text=_("The year the school year starts, e.g. 2025 for 2025–2026.")
    )
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("teachers"), related_name="classrooms_taught"
    )
    join_code = models.CharField(_("class code"), max_length=12, unique=True, default=new_join_code)
    joining_open = models.BooleanField(_("pupils may join with the code"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = ClassroomQuerySet.as_manager()

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["-school_year", "grade_band", "grade", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(grade_band=GradeBand.PRIMARY, grade__gte=1, grade__lte=6)
                    | models.Q(
                        grade_band__in=[GradeBand.JUNIOR, GradeBand.SENIOR],
                        grade__gte=1,
                        grade__lte=3,
                    )
                ),
                name="classroom_grade_in_band",
            ),
            models.UniqueConstraint(
                fields=["school", "school_year", "name"], name="classroom_name_once_a_year"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_archived(self):
        return self.archived_at is not None

    @property
    def accepts_pupils(self):
        return self.joining_open and not self.is_archived


class ClassPupil(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="pupils")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="class_places"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pupil in a class")
        verbose_name_plural = _("pupils in classes")
        constraints = [
            models.UniqueConstraint(fields=["classroom", "user"], name="class_pupil_once"),
        ]

    def __str__(self):
        return f"{self.user} · {self.classroom}"


class ClassGroup(models.Model):
    """Some pupils of a class (a reading group, those who missed a lesson)."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("group name"), max_length=60)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("pupils"), related_name="class_groups"
    )

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["classroom", "name"], name="class_group_name_once"),
        ]

    def __str__(self):
        return self.name


class ClassPupilImport(models.Model):
    """Which class an uploaded pupil spreadsheet fills (the batch itself is accounts')."""

    batch = models.OneToOneField(
        "accounts.ImportBatch", on_delete=models.CASCADE, related_name="classroom_link"
    )
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="imports")

    def __str__(self):
        return f"{self.batch} → {self.classroom}"
