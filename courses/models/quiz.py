"""Quizzes, question banks and attempts.

A quiz's own questions are GIFT text on the page, so they are revisioned and moderated with
it; banks hold reusable questions by subject. An attempt snapshots the questions, their
choice order and the pass mark, so editing a quiz during an exam changes nothing for the
attempts under way.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet

from courses.questions.data import Question, QuestionType
from courses.questions.gift_reader import GiftError, parse_gift
from serving.pagecache import CachedForAnonymous
from serving.sitestate import RememberedViewRestrictions


class ReviewPolicy(models.TextChoices):
    AFTER_SUBMIT = "after_submit", _("After each attempt is submitted")
    AFTER_PASS = "after_pass", _("Once the learner has passed")
    NEVER = "never", _("Never")


def parse_quiz_gift(text):
    """The questions of a quiz's GIFT text, with names unique within the quiz."""
    questions = parse_gift(text or "")
    seen = {}
    for question in questions:
        if question.name in seen:
            raise GiftError(
                f"the question name {question.name!r} is used twice (first on line "
                f"{seen[question.name]}); each question needs its own ::name::",
                question.line,
            )
        seen[question.name] = question.line
    return questions


class QuestionBank(models.Model):
    """Reusable questions on one subject; quizzes may draw random questions from a bank."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    subject = models.ForeignKey(
        "courses.Subject",
        verbose_name=_("subject"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="banks",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="question_banks",
        help_text=_("Empty for a bank of the whole platform."),
    )

    class Meta:
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def admin_actions(self):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("bank_import", args=[self.pk]),
            _("Import questions"),
            reverse("bank_export", args=[self.pk]),
            _("Export GIFT"),
        )

    admin_actions.short_description = _("Actions")


class BankQuestion(models.Model):
    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="questions")
    name = models.CharField(_("name"), max_length=255)
    qtype = models.CharField(
        _("type"), max_length=20, choices=[(t.value, t.value) for t in QuestionType]
    )
    text = models.TextField(_("text"))
    data = models.JSONField(_("question"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["bank", "name"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "name"], name="bank_question_name_once"),
        ]

    def __str__(self):
        return self.name

    def as_question(self):
        return Question.from_dict(self.data)

    def admin_preview(self):
        return format_html(
            '<a href="{}">{}</a>', reverse("question_preview", args=[self.pk]), _("Preview")
        )

    admin_preview.short_description = _("Preview")


class QuizQuerySet(PageQuerySet):
    def of_course(self, course):
        return self.child_of(course).live().order_by("path")


class QuizPage(RememberedViewRestrictions, CachedForAnonymous, Page):
    """A quiz unit of a course; its slug is the unit slug of the course package."""

    intro = models.TextField(_("instructions"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=60, validators=[MaxValueValidator(100)]
    )
    time_limit = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Enforced by the server. Empty for no limit."),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty for unlimited."),
    )
    shuffle = models.BooleanField(_("shuffle questions and choices"), default=True)
    review = models.CharField(
        _("show correct answers"),
        max_length=12,
        choices=ReviewPolicy.choices,
        default=ReviewPolicy.AFTER_SUBMIT,
    )
    gift = models.TextField(
        _("questions (GIFT)"),
        blank=True,
        help_text=_("Moodle's GIFT format; every question needs a ::name:: of its own."),
    )
    draw_bank = models.ForeignKey(
        QuestionBank,
        verbose_name=_("draw from bank"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quizzes",
    )
    draw_count = models.PositiveSmallIntegerField(_("questions drawn"), default=0)

    objects = PageManager.from_queryset(QuizQuerySet)()

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("pass_mark"), FieldPanel("time_limit"), FieldPanel("max_attempts")]
                ),
                FieldRowPanel([FieldPanel("shuffle"), FieldPanel("review")]),
            ],
            heading=_("Rules"),
        ),
        FieldPanel("gift"),
        FieldRowPanel(
            [FieldPanel("draw_bank"), FieldPanel("draw_count")], heading=_("Random questions")
        ),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark__lte=100), name="quiz_pass_mark_percent"
            ),
        ]

    def clean(self):
        super().clean()
        try:
            questions = parse_quiz_gift(self.gift)
        except GiftError as exc:
            raise ValidationError({"gift": str(exc)}) from exc
        if not any(q.qtype != QuestionType.DESCRIPTION for q in questions) and not (
            self.draw_bank_id and self.draw_count
        ):
            raise ValidationError({"gift": _("A quiz needs at least one question.")})

    def own_questions(self):
        return parse_quiz_gift(self.gift)

    @property
    def question_count(self):
        own = sum(1 for q in self.own_questions() if q.qtype != QuestionType.DESCRIPTION)
        return own + (self.draw_count if self.draw_bank_id else 0)

    def get_context(self, request, *args, **kwargs):
        from courses.models.pages import unit_context

        context = super().get_context(request, *args, **kwargs)
        context.update(unit_context(request, self))
        attempts = []
        if request.user.is_authenticated:
            attempts = list(QuizAttempt.objects.of(request.user, self).order_by("number"))
        used = len(attempts)
        context.update(
            attempts=attempts,
            open_attempt=next((a for a in attempts if a.is_open), None),
            attempts_left=(self.max_attempts - used) if self.max_attempts else None,
            passed=any(a.passed for a in attempts),
        )
        return context


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
    # Indexed by the constraints and the index below (see courses.models.learning).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
        db_index=False,
    )
    quiz = models.ForeignKey(
        QuizPage, on_delete=models.CASCADE, related_name="attempts", db_index=False
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
