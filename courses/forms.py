from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models.taxonomy import Audience, GradeBand, Subject

MAX_QUERY_LENGTH = 100


class SlugChoiceField(forms.ModelChoiceField):
    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="slug", required=False, **kwargs)

    def label_from_instance(self, obj):
        return obj.label


class CatalogFilterForm(forms.Form):
    """The catalog filters. An unknown value is reported and that filter is ignored."""

    audience = SlugChoiceField(
        Audience.objects.all(),
        label=_("Audience"),
        empty_label=_("All audiences"),
        error_messages={"invalid_choice": _("There is no such audience; showing all audiences.")},
    )
    subject = SlugChoiceField(
        Subject.objects.all(),
        label=_("Subject"),
        empty_label=_("All subjects"),
        error_messages={"invalid_choice": _("There is no such subject; showing all subjects.")},
    )
    grade = forms.ChoiceField(
        choices=[("", _("All grades")), *GradeBand.choices],
        required=False,
        label=_("Grade band"),
        error_messages={"invalid_choice": _("There is no such grade band; showing all grades.")},
    )

    def filter(self, courses):
        self.is_valid()
        data = self.cleaned_data
        if data.get("audience"):
            courses = courses.for_audience(data["audience"])
        if data.get("subject"):
            courses = courses.for_subject(data["subject"])
        if data.get("grade"):
            courses = courses.for_grade_band(data["grade"])
        return courses

    @property
    def active(self):
        self.is_valid()  # validated once, whether the list was filtered or came from the cache
        return any(self.cleaned_data.get(name) for name in ("audience", "subject", "grade"))


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search courses"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        error_messages={
            "max_length": _("Please shorten your search to %(limit_value)d characters or fewer.")
        },
    )
