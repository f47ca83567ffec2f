from django import forms
from django.utils.translation import gettext_lazy as _


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Key name"),
        max_length=80,
        help_text=_("What the key is for, such as “HR system nightly sync”."),
    )
