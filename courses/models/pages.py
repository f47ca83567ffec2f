from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.validators import MinValueValidator
from django.db import models
from django.forms import CheckboxSelectMultiple
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.url_routing import RouteResult

from accounts.access import teaches_at_a_school
from accounts.roles import work_roles
from courses.blocks import LessonBodyBlock
from courses.forms import CatalogFilterForm
from courses.models.taxonomy import GradeBand
from courses.search import segment, stream_text
from courses.services import course_units, learner_context, record_unit_visit, unit_context
from serving.pagecache import CachedForAnonymous, shared_fragment_key
from serving.sitestate import RememberedViewRestrictions, public

# The grades (年级) of each stage as classrooms count them.
GRADES_IN_BAND = {GradeBand.PRIMARY: (1, 6), GradeBand.JUNIOR: (1, 3), GradeBand.SENIOR: (1, 3)}
TEACHER_GUIDE_SLUG = "teacher-guide"


class CourseLanguage(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class CourseQuerySet(PageQuerySet):
    def in_catalog(self):
        """Live, public courses with what a course card shows, in a fixed number of queries."""
        return public(self.live()).prefetch_related("audiences", "subjects")

    def for_audience(self, audience):
        return self.filter(audiences=audience)

    def for_subject(self, subject):
        return self.filter(subjects=subject)

    def for_grade_band(self, grade_band):
        return self.filter(grade_band=grade_band)

    def newest_first(self):
        return self.order_by("-first_published_at", "-pk")


class LessonQuerySet(PageQuerySet):
    def of_course(self, course):
        return self.child_of(course).live().order_by("path")


class CourseIndexPage(RememberedViewRestrictions, CachedForAnonymous, Page):
    """The catalog at /courses/: filters by audience, subject and grade band."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1
    per_page = 12

    cache_query_params = frozenset({"audience", "subject", "grade", "page"})

    class Meta:
        verbose_name = _("course catalog")

    def cacheable_request(self, request):
        """Only real filter values and short page numbers: each variant costs a cache entry."""
        return self.plain_query(request) and CatalogFilterForm(request.GET).is_valid()

    def plain_query(self, request):
        page = request.GET.get("page", "1")
        return super().cacheable_request(request) and page.isdigit() and len(page) <= 3

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        form = CatalogFilterForm(request.GET)

        def courses_page():
            courses = CoursePage.objects.child_of(self).in_catalog().newest_first()
            return paginate(form.filter(courses), request, self.per_page)

        context.update(
            filter_form=form,
            # Lazy, the queryset too: when the list comes from the shared cache, it costs no
            # query, and building the query (tree path, privacy, filters) cost a fifth of
            # the page's processor time.
            courses_page=SimpleLazyObject(courses_page),
            shared_key=shared_fragment_key(request)
            if self.plain_query(request) and form.is_valid()
            else None,
            shared_seconds=settings.PAGE_CACHE_SECONDS,
        )
        return context


def paginate(queryset, request, per_page):
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


class CoursePage(RememberedViewRestrictions, CachedForAnonymous, Page):
    """A course: catalog facts, and its units (lessons, later quizzes) as child pages."""

    summary = models.TextField(_("summary"), max_length=600)
    language = models.CharField(
        _("language"), max_length=10, choices=CourseLanguage.choices, default=CourseLanguage.ZH_HANS
    )
    audiences = ParentalManyToManyField("courses.Audience", related_name="courses")
    subjects = ParentalManyToManyField("courses.Subject", related_name="courses")
    grade_band = models.CharField(
        _("grade band"),
        max_length=10,
        choices=GradeBand.choices,
        blank=True,
        help_text=_("School courses only."),
    )
    grade_min = models.PositiveSmallIntegerField(
        _("first grade"),
        null=True,
        blank=True,
        help_text=_("School courses only: the first grade of the stage the course is for."),
    )
    grade_max = models.PositiveSmallIntegerField(
        _("last grade"),
        null=True,
        blank=True,
        help_text=_("School courses only: the last grade of the stage the course is for."),
    )
    teacher_guide = StreamField(
        LessonBodyBlock(),
        blank=True,
        verbose_name=_("teacher's guide"),
        help_text=_(
            "School courses only: objectives, lesson plan, activity sheet and answers. "
            "Shown to teachers and editors, never to pupils."
        ),
    )
    hours = models.DecimalField(
        _("training hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0)],
        help_text=_("Training hours (学时) credited on completion."),
    )
    certificate = models.BooleanField(_("awards a certificate"), default=True)
    required_of_chief_quality_officers = models.BooleanField(
        _("required of chief quality officers"),
        default=False,
        help_text=_(
            "A chief quality officer is current when they hold a certificate in force for "
            "every course marked so."
        ),
    )
    certificate_validity_years = models.PositiveSmallIntegerField(
        _("certificate valid for (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for certificates that do not expire."),
    )

    objects = PageManager.from_queryset(CourseQuerySet)()

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("audiences", widget=CheckboxSelectMultiple),
                FieldPanel("subjects", widget=CheckboxSelectMultiple),
                FieldPanel("grade_band"),
                FieldRowPanel([FieldPanel("grade_min"), FieldPanel("grade_max")]),
                FieldPanel("language"),
            ],
            heading=_("Catalog"),
        ),
        FieldPanel("teacher_guide"),
        MultiFieldPanel(
            [
                FieldPanel("hours"),
                FieldPanel("certificate"),
                FieldPanel("certificate_validity_years"),
                FieldPanel("required_of_chief_quality_officers"),
            ],
            heading=_("Credit"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("search_text"),
        index.FilterField("grade_band"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = [
        "courses.LessonPage",
        "courses.QuizPage",
        "courseware.ScormUnitPage",
        "courseware.H5PUnitPage",
    ]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gte=0), name="course_hours_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(grade_min__isnull=True, grade_max__isnull=True)
                | (
                    models.Q(grade_min__gte=1, grade_min__lte=models.F("grade_max"))
                    & (
                        models.Q(grade_band=GradeBand.PRIMARY, grade_max__lte=6)
                        | models.Q(
                            grade_band__in=[GradeBand.JUNIOR, GradeBand.SENIOR], grade_max__lte=3
                        )
                    )
                ),
                name="course_grades_within_band",
            ),
        ]

    def clean(self):
        super().clean()
        if self.grade_min is None and self.grade_max is None:
            return
        if not self.grade_band:
            raise ValidationError(
                {"grade_min": _("Grades are for school courses: choose a stage.")}
            )
        low, high = GRADES_IN_BAND[self.grade_band]
        if self.grade_min is None or self.grade_max is None:
            raise ValidationError({"grade_max": _("Give both the first and the last grade.")})
        if not low <= self.grade_min <= self.grade_max <= high:
            raise ValidationError(
                {
                    "grade_max": _(
                        "The grades must run upwards from %(low)s to %(high)s at this stage."
                    )
                    % {"low": low, "high": high}
                }
            )

    @property
    def grade_label(self):
        """The stage and grades as a school reads them, e.g. 小学1–2年级; empty for others."""
        if not self.grade_band:
            return ""
        band = self.get_grade_band_display()
        if self.grade_min is None:
            return band
        if self.grade_min == self.grade_max:
            return _("%(band)s, grade %(grade)s") % {"band": band, "grade": self.grade_min}
        return _("%(band)s, grades %(low)s–%(high)s") % {
            "band": band,
            "low": self.grade_min,
            "high": self.grade_max,
        }

    def suits_grade(self, grade_band, grade):
        """Whether a class of this stage and grade is among those the course is written for."""
        if self.grade_band != grade_band:
            return False
        return self.grade_min is None or self.grade_min <= grade <= self.grade_max

    def teacher_guide_visible_to(self, user):
        """Teachers at a verified school, staff and editors see the guide (it carries answers);
        pupils and others do not."""
        if not self.teacher_guide or not user.is_authenticated:
            return False
        # The work roles are kept per user in the shared cache: a pupil, who reads school
        # courses most, pays no query here (the permission check cost two, the school one).
        roles = work_roles(user)
        return (
            user.is_staff
            or roles.admin
            or (roles.teacher and teaches_at_a_school(user, verified=True))
        )

    # A live unit with the guide's slug would win (serving/routing.py relies on it); packages
    # refuse that slug.
    routes_yield_to_pages = True

    def route(self, request, path_components):
        try:
            return super().route(request, path_components)
        except Http404:
            if path_components == [TEACHER_GUIDE_SLUG] and self.live:
                return RouteResult(self, kwargs={"teacher_guide": True})
            raise

    def serve(self, request, *args, teacher_guide=False, **kwargs):
        if teacher_guide:
            return self.serve_teacher_guide(request)
        return super().serve(request, *args, **kwargs)

    def serve_teacher_guide(self, request):
        """The guide for those allowed, 404 for everyone else; never kept in any shared cache.

        It skips ``CachedForAnonymous.serve`` on purpose, so the response is never marked
        storable, and says ``private`` so no proxy keeps it either.
        """
        if request.method not in ("GET", "HEAD") or not self.teacher_guide_visible_to(request.user):
            raise Http404
        response = TemplateResponse(
            request, "courses/teacher_guide.html", {"page": self, "self": self}
        )
        patch_cache_control(response, private=True, no_store=True)
        return response

    @property
    def teacher_guide_url(self):
        return f"{self.url}{TEACHER_GUIDE_SLUG}/"

    @cached_property
    def lessons(self):
        return list(LessonPage.objects.of_course(self))

    @property
    def total_minutes(self):
        return sum(lesson.minutes for lesson in self.lessons)

    def search_text(self):
        """Title, summary and every live lesson's text, segmented for the index."""
        parts = [self.title, self.summary]
        for lesson in LessonPage.objects.of_course(self):
            parts += [lesson.title, lesson.plain_text()]
        return segment("\n".join(parts))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        units = course_units(self)
        context.update(learner_context(request, self, units))
        context["total_minutes"] = sum(getattr(unit, "minutes", 0) for unit in units)
        context["show_teacher_guide"] = self.teacher_guide_visible_to(request.user)
        return context


class RecordsVisits:
    """A unit page (lesson or quiz) remembers the learner's visit when it is served.

    The write happens here, on the way out, and not while the context is built: reading a
    page's context writes nothing, and the visit reuses what the context already read.
    """

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        record_unit_visit(self, getattr(response, "context_data", None))
        return response


class LessonPage(RecordsVisits, RememberedViewRestrictions, CachedForAnonymous, Page):
    """One lesson of a course; its slug is the unit slug of the course package."""

    minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=10, validators=[MinValueValidator(1)]
    )
    video_url = models.URLField(_("lead video"), blank=True)
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"))

    objects = PageManager.from_queryset(LessonQuerySet)()

    content_panels = [
        *Page.content_panels,
        FieldPanel("minutes"),
        FieldPanel("video_url"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("search_text")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1), name="lesson_minutes_positive"
            ),
        ]

    def plain_text(self):
        return stream_text(self.body)

    def search_text(self):
        return segment(f"{self.title}\n{self.plain_text()}")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(unit_context(request, self))
        return context
