from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Subject
from reports.open_data_page import MEASURES
from reports.queries import DIMENSIONS
from serving.widgets import DateInput


def default_period():
    today = timezone.localdate()
    return date(today.year, 1, 1), today


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())
    by = forms.ChoiceField(
        label=_("By"), choices=[(key, dim.label) for key, dim in DIMENSIONS.items()]
    )

    def __init__(self, data=None, **kwargs):
        start, end = default_period()
        initial = {"start": start, "end": end, "by": "district"}
        # A page opened without a query string shows this year by district.
        super().__init__({**initial, **data.dict()} if data else initial, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("The start date is after the end date."))
            if end - start > timedelta(days=3660):
                raise forms.ValidationError(_("Choose a period of ten years or less."))
            if start > timezone.localdate():
                raise forms.ValidationError(_("The period starts in the future."))
        return data


class OpenDataForm(forms.Form):
    """The public page's choices; every field may be left out (this year, learners)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    measure = forms.ChoiceField(label=_("Figure"), required=False)
    subject = forms.ChoiceField(label=_("Subject in the chart"), required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, y) for y in range(this_year, 2014, -1)]
        self.fields["measure"].choices = list(MEASURES.items())
        self.fields["subject"].choices = [("", _("Most learners"))] + [
            (term.slug, term.label) for term in Subject.objects.all()
        ]

    def defaults(self):
        return {"year": timezone.localdate().year, "measure": "learners", "subject": ""}

    def clean(self):
        data = super().clean()
        defaults = self.defaults()
        for name, value in defaults.items():
            if data.get(name) in (None, ""):
                data[name] = value
        return data
