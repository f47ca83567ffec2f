"""The learning records, kept together as Kolibri keeps its logs: one row per learner and
course (Enrolment), per lesson (LessonProgress), per attempt at a quiz (QuizAttempt), per
answer (Response) and per unit whose content decides its own result (UnitResult: SCORM and
H5P units, whose app keeps the full run-time data beside it).

The records point at the course pages by name ("courses.CoursePage"), never by import: the
pages show the learner's records, so they sit above this module.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from accounts.models import District
from courses.districts import training_district
from courses.tree import course_path


class EnrolmentSource(models.TextChoices):
    SELF = "self", _("Enrolled themselves")
    CLASS = "class", _("Assigned to a class")
    ORGANISATION = "organisation", _("Assigned by the organisation")


# PER_LEARNER_INDEXES: a learner's record of one course, lesson or quiz is found by both
# columns. A lone index on the course (or lesson, or quiz) column let PostgreSQL pick it for
# that lookup whenever its statistics predated the course: on exam day a new quiz gathers
# thousands of attempts before the table is analysed again, and each learner's lookup then
# read every attempt at the quiz (7.6 ms at 10,650 attempts, growing). With the learner in
# every index on these columns, any plan the statistics choose finds the one row.


class EnrolmentQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def completed(self):
        return self.filter(completed_at__isnull=False)

    def in_progress(self):
        return self.filter(completed_at__isnull=True)

    def with_course(self):
        return self.select_related("course", "last_unit")

    def in_course_of(self, unit):
        """Enrolments in the course a lesson or quiz belongs to (its parent page), found in
        the same query rather than by loading the course first."""
        course = Page.objects.filter(path=course_path(unit.path)).values("pk")
        return self.filter(course_id=models.Subquery(course))


class Enrolment(models.Model):
    # Indexed by the unique constraint and the index below (see PER_LEARNER_INDEXES).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolments",
        db_index=False,
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="enrolments", db_index=False
    )
    source = models.CharField(
        max_length=12, choices=EnrolmentSource.choices, default=EnrolmentSource.SELF
    )
    # Where this training counts in the city's figures, settled at creation by the rule in
    # courses/districts.py and never moved afterwards: "" only for a learner with no district
    # and no organisation.
    district = models.CharField(
        _("district"), max_length=6, choices=District.choices, blank=True, editable=False
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)
    # Cached from the unit records whenever they change, so lists read it without joins.
    progress = models.PositiveSmallIntegerField(default=0)
    last_unit = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_activity_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrolment_once"),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="enrolment_progress_percent"
            ),
        ]
        indexes = [models.Index(fields=["course", "user"], name="enrolment_course_user")]

    def __str__(self):
        return f"{self.user} · {self.course}"

    def save(self, *args, **kwargs):
        # The enrolment service settles the district from the organisation that set the
        # training; a row created any other way still gets the learner's own district.
        if self._state.adding and not self.district:
            self.district = training_district(self.user, self.source)
        super().save(*args, **kwargs)


class LessonProgress(models.Model):
    # Indexed by the unique constraint and the index below (see PER_LEARNER_INDEXES).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_progress",
        db_index=False,
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="progress", db_index=False
    )
    first_seen_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    seconds_spent = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lesson_progress_once"),
        ]
        indexes = [models.Index(fields=["lesson", "user"], name="lesson_progress_lesson_user")]

    def __str__(self):
        return f"{self.user} · {self.lesson}"


class UnitResult(models.Model):
    """The outcome of a unit whose content reports it (a SCORM package, an H5P activity).

    The learning engine counts these units by this row alone, without knowing their kind: a
    unit is done when ``completed_at`` is set. The app that plays the content keeps its own
    run-time data (CMI, suspend data) and writes here through ``record_unit_result``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_results"
    )
    unit = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # None when the content reports no pass or fail (only completion).
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    # Scaled 0..1, as SCORM 2004's score.scaled and xAPI's result.score.scaled.
    score = models.FloatField(_("score"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("unit result")
        verbose_name_plural = _("unit results")
        constraints = [
            models.UniqueConstraint(fields=["unit", "user"], name="unit_result_once"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=1),
                name="unit_result_score_scaled",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.unit_id}"


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_GRADING = "awaiting_grading", _("Awaiting grading")
    FINISHED = "finished", _("Finished")


class AttemptQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=AttemptStatus.IN_PROGRESS)

    def of(self, user, quiz):
        return self.filter(user=user, quiz=quiz)


class QuizAttempt(models.Model):
    # Indexed by the constraints and the index below (see PER_LEARNER_INDEXES).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
        db_index=False,
    )
    quiz = models.ForeignKey(
        "courses.QuizPage", on_delete=models.CASCADE, related_name="attempts", db_index=False
    )
    number = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=20, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    started_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    closed_by_deadline = models.BooleanField(default=False)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)
    # What the attempt was built from: pass mark, review policy, questions and choice order.
    snapshot = models.JSONField()

    objects = AttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "quiz", "number"], name="attempt_number_once"),
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=models.Q(status="in_progress"),
                name="one_open_attempt",
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=100),
                name="attempt_score_percent",
            ),
        ]
        indexes = [models.Index(fields=["quiz", "user"], name="attempt_quiz_user")]

    def __str__(self):
        return f"{self.user} · {self.quiz} #{self.number}"

    @property
    def is_open(self):
        return self.status == AttemptStatus.IN_PROGRESS


class Response(models.Model):
    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="responses")
    question_key = models.CharField(max_length=255)
    answer = models.JSONField(null=True)
    answer_text = models.TextField(blank=True)
    credit = models.DecimalField(max_digits=6, decimal_places=5, null=True, blank=True)
    # Each save must name the version it replaces, so a stale or replayed post is refused.
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question_key"], name="response_once"),
            models.CheckConstraint(
                condition=models.Q(credit__isnull=True) | models.Q(credit__gte=0, credit__lte=1),
                name="response_credit_range",
            ),
        ]

    def __str__(self):
        return f"{self.attempt} · {self.question_key}"
