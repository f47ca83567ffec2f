from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage
from serving.widgets import DateInput


class VerifyNameForm(forms.Form):
    name = forms.CharField(label=_("Holder's full name"), max_length=100)


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=64)


class ExportForm(forms.Form):
    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=CoursePage.objects.none(),
        required=False,
        empty_label=_("All courses"),
    )
    issued_from = forms.DateField(label=_("Issued from"), required=False, widget=DateInput())
    issued_to = forms.DateField(label=_("Issued until"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = (
            CoursePage.objects.live().filter(certificate=True).order_by("title")
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("issued_from"), data.get("issued_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data
