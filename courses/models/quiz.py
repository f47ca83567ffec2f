"""Quizzes and question banks.

A quiz's own questions are GIFT text on the page, so they are revisioned and moderated with
it; banks hold reusable questions by subject. The attempts at a quiz are learning records
(courses/models/learning.py).
"""

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet

from courses.models.learning import QuizAttempt
from courses.models.pages import RecordsVisits
from courses.questions.data import Question, QuestionType
from courses.questions.gift_reader import GiftError, parse_gift
from courses.services import unit_context
from serving.pagecache import CachedForAnonymous
from serving.sitestate import RememberedViewRestrictions
from serving.statements import CompiledQuery


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


@lru_cache(maxsize=64)
def _own_question_count(text):
    # Every learner's quiz page shows the count; parsing ten questions again for each view
    # cost 0.3 ms. Keyed by the text, a published change of the questions is counted anew.
    return sum(1 for q in parse_quiz_gift(text) if q.qtype != QuestionType.DESCRIPTION)


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


# The learner's attempts, asked each time they open a quiz page; without their question
# snapshots, which the page does not show: an attempt under way carries its questions (16 KB
# for ten), read and parsed again on every visit.
_ATTEMPTS = CompiledQuery(
    lambda user, quiz: QuizAttempt.objects.of(user, quiz).defer("snapshot").order_by("number"),
    user=(QuizAttempt, "user"),
    quiz=(QuizAttempt, "quiz"),
)


class QuizPage(RecordsVisits, RememberedViewRestrictions, CachedForAnonymous, Page):
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
        return _own_question_count(self.gift) + (self.draw_count if self.draw_bank_id else 0)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(unit_context(request, self))
        attempts = []
        if request.user.is_authenticated:
            attempts = _ATTEMPTS.objects(user=request.user.pk, quiz=self.pk)
        used = len(attempts)
        context.update(
            attempts=attempts,
            open_attempt=next((a for a in attempts if a.is_open), None),
            attempts_left=(self.max_attempts - used) if self.max_attempts else None,
            passed=any(a.passed for a in attempts),
        )
        return context
