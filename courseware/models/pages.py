"""The two unit pages: a SCORM package or an H5P activity played inside a course.

They are units like lessons (courses.services.unit_context gives position, neighbours and
the enrolment); what they complete is recorded by the content through the commit endpoint
(courseware/commits.py), not by the page.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from courses.models.pages import RecordsVisits
from courses.services import unit_context
from courseware.forms import PackageUnitPageForm
from courseware.launch import player_context
from courseware.models.packages import ContentPackage, PackageKind
from serving.sitestate import RememberedViewRestrictions


class PackageUnitPage(RecordsVisits, RememberedViewRestrictions, Page):
    """What a SCORM unit and an H5P unit share. Not cached for anonymous visitors: the page
    is small and a learner's copy carries their launch tokens."""

    minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=10, validators=[MinValueValidator(1)]
    )
    package = models.ForeignKey(
        ContentPackage, on_delete=models.PROTECT, related_name="+", verbose_name=_("package")
    )
    intro = models.TextField(_("introduction"), blank=True, max_length=1000)

    # The package is chosen by uploading its file on the edit form (courseware/forms.py).
    content_panels = [
        *Page.content_panels,
        FieldPanel("minutes"),
        FieldPanel("intro"),
        FieldPanel("package_file"),
    ]
    base_form_class = PackageUnitPageForm
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []
    package_kinds = ()

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(unit_context(request, self))
        context.update(player_context(request, self, context.get("enrolment")))
        return context


class ScormUnitPage(PackageUnitPage):
    package_kinds = (PackageKind.SCORM_12, PackageKind.SCORM_2004)

    class Meta:
        verbose_name = _("SCORM unit")
        verbose_name_plural = _("SCORM units")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1), name="scorm_unit_minutes_positive"
            ),
        ]


class H5PUnitPage(PackageUnitPage):
    package_kinds = (PackageKind.H5P,)

    class Meta:
        verbose_name = _("H5P unit")
        verbose_name_plural = _("H5P units")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1), name="h5p_unit_minutes_positive"
            ),
        ]
