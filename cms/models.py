import copy

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.url_routing import RouteResult

from courses.models import Audience, CourseIndexPage, CoursePage, Subject
from serving.pagecache import CachedForAnonymous
from serving.routing import page_at
from serving.sitestate import RememberedViewRestrictions, remembered


class HomePage(RememberedViewRestrictions, CachedForAnonymous, Page):
    """Who the platform is for, what it teaches, and where to start."""

    lead = models.CharField(_("lead"), max_length=200, blank=True)
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        FieldPanel("intro"),
        InlinePanel("featured_courses", label=_("Featured courses"), max_num=6),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseIndexPage", "cms.StandardPage"]
    max_count = 1
    newest_count = 6

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        page = page_at(self, path_components)
        if page is not None:
            return RouteResult(page)
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        featured_ids = list(self.featured_courses.values_list("course_id", flat=True))
        featured = {c.pk: c for c in CoursePage.objects.in_catalog().filter(pk__in=featured_ids)}
        context.update(
            audiences=Audience.objects.all(),
            subjects=Subject.objects.all(),
            featured=[featured[pk] for pk in featured_ids if pk in featured],
            newest=CoursePage.objects.in_catalog().newest_first()[: self.newest_count],
            catalog=CourseIndexPage.objects.child_of(self).live().first(),
        )
        return context


class HomePageFeaturedCourse(Orderable):
    page = ParentalKey(HomePage, related_name="featured_courses", on_delete=models.CASCADE)
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("course")
    )

    panels = [FieldPanel("course")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["page", "course"], name="featured_course_once"),
        ]


class StandardPage(RememberedViewRestrictions, CachedForAnonymous, Page):
    """About, privacy, terms: a title and rich text."""

    body = RichTextField(_("body"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


@register_setting(icon="site")
class Branding(BaseSiteSetting):
    """Names and marks that appear on every page and, later, on certificates."""

    platform_name = models.CharField(_("platform name"), max_length=60, default="质量学堂")
    platform_name_en = models.CharField(
        _("platform name (English)"), max_length=80, default="Quality Academy"
    )
    tagline = models.CharField(
        _("tagline"), max_length=120, blank=True, default="人人学质量，处处讲质量"
    )
    issuer_name = models.CharField(
        _("issuing organisation"),
        max_length=120,
        blank=True,
        help_text=_("Printed on certificates as the issuer."),
    )
    seal = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("seal image"),
    )
    footer = models.TextField(_("footer text"), blank=True)

    @classmethod
    def for_site(cls, site):
        # A copy: Wagtail sets the request on the instance it hands out.
        kept = remembered(
            ("branding", getattr(site, "pk", None)), lambda: super(Branding, cls).for_site(site)
        )
        return copy.copy(kept)

    panels = [
        MultiFieldPanel(
            [FieldPanel("platform_name"), FieldPanel("platform_name_en"), FieldPanel("tagline")],
            heading=_("Platform"),
        ),
        MultiFieldPanel([FieldPanel("issuer_name"), FieldPanel("seal")], heading=_("Certificates")),
        FieldPanel("footer"),
    ]

    class Meta:
        verbose_name = _("branding")

    @property
    def display_name(self):
        english = (get_language() or "").startswith("en")
        return self.platform_name_en if english else self.platform_name
