"""Work set for learners: a whole course or one quiz of it, open from one date, due by another.

An assignment belongs to an organisation and is addressed to a class, a group in a class, or
chosen learners. Nothing here is specific to schools, so an enterprise's training manager can
address staff the same way. A class, a group, all staff and a department are resolved when
read, so people who join later (or move into the department) are reached too; only chosen
learners are stored by name.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role


class AssignmentAudience(models.TextChoices):
    CLASS = "class", _("The whole class")
    GROUP = "group", _("A group")
    LEARNERS = "learners", _("Chosen pupils")
    STAFF = "staff", _("All staff")
    DEPARTMENT = "department", _("A department")


CLASS_AUDIENCES = (AssignmentAudience.CLASS, AssignmentAudience.GROUP, AssignmentAudience.LEARNERS)


class LearnerStatus(models.TextChoices):
    """One learner's standing on one assignment; the order is "needs help" first."""

    OVERDUE = "overdue", _("Overdue")
    FAILED = "failed", _("Not passed")
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    PASSED = "passed", _("Passed")


NEEDS_HELP = (LearnerStatus.OVERDUE, LearnerStatus.FAILED)
URGENCY = {status: rank for rank, status in enumerate(LearnerStatus.values)}


class AssignmentQuerySet(models.QuerySet):
    def of_classroom(self, classroom):
        return self.filter(classroom=classroom)

    def with_units(self):
        return self.select_related("course", "quiz", "group")

    def open_now(self, now=None):
        return self.filter(opens_at__lte=now or timezone.now())

    def addressed_to(self, user):
        """Assignments that reach ``user``: through a class they sit in, a group or by name."""
        return self.filter(
            models.Q(audience=AssignmentAudience.CLASS, classroom__pupils__user=user)
            | models.Q(audience=AssignmentAudience.GROUP, group__members=user)
            | models.Q(audience=AssignmentAudience.LEARNERS, recipients=user)
        ).distinct()

    def for_staff(self, user):
        """Staff assignments that reach ``user``: by name, as staff, or through a department.

        Training managers are not "staff" here: they are reached only when chosen by name.
        """
        staff = Membership.objects.filter(
            user=user, organisation=models.OuterRef("organisation")
        ).exclude(role=Role.MANAGER)
        return self.filter(classroom__isnull=True).filter(
            models.Q(audience=AssignmentAudience.LEARNERS, pk__in=_chosen(user))
            | models.Q(audience=AssignmentAudience.STAFF) & models.Exists(staff)
            | models.Q(audience=AssignmentAudience.DEPARTMENT)
            & models.Exists(staff.filter(department=models.OuterRef("department")))
        )


def _chosen(user):
    return Assignment.recipients.through.objects.filter(user=user).values("assignment_id")


class Assignment(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="assignments"
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    quiz = models.ForeignKey(
        "courses.QuizPage",
        verbose_name=_("quiz"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
        help_text=_("Empty for the whole course."),
    )
    opens_at = models.DateTimeField(_("opens"))
    due_at = models.DateTimeField(_("due"))
    audience = models.CharField(
        _("for"),
        max_length=10,
        choices=AssignmentAudience.choices,
        default=AssignmentAudience.CLASS,
    )
    department = models.CharField(_("department"), max_length=60, blank=True)
    classroom = models.ForeignKey(
        "classrooms.Classroom",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    group = models.ForeignKey(
        "classrooms.ClassGroup",
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pupils"),
        blank=True,
        related_name="assignments_received",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_at__gt=models.F("opens_at")),
                name="assignment_due_after_opening",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        audience=AssignmentAudience.CLASS,
                        classroom__isnull=False,
                        group__isnull=True,
                    )
                    | models.Q(
                        audience=AssignmentAudience.GROUP,
                        classroom__isnull=False,
                        group__isnull=False,
                    )
                    | models.Q(audience=AssignmentAudience.LEARNERS, group__isnull=True)
                    | models.Q(
                        audience=AssignmentAudience.STAFF,
                        classroom__isnull=True,
                        group__isnull=True,
                    )
                    | models.Q(
                        audience=AssignmentAudience.DEPARTMENT,
                        classroom__isnull=True,
                        group__isnull=True,
                    )
                    & ~models.Q(department="")
                ),
                name="assignment_audience_consistent",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return f"{self.course.title} · {self.quiz.title}" if self.quiz_id else self.course.title

    @property
    def audience_label(self):
        """Whom the assignment is for, as a teacher or manager would say it."""
        if self.audience == AssignmentAudience.DEPARTMENT:
            return _("Department: %(name)s") % {"name": self.department}
        if self.audience == AssignmentAudience.LEARNERS and self.classroom_id is None:
            return _("Chosen people")
        return self.get_audience_display()

    @property
    def unit_id(self):
        return self.quiz_id or self.course_id

    @property
    def has_opened(self):
        return self.opens_at <= timezone.now()

    def is_overdue(self, now=None):
        return (now or timezone.now()) > self.due_at
