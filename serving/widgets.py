"""Form widgets whose value format the browser, not the language, dictates.

A ``<input type=date>`` accepts only ``YYYY-MM-DD`` and ``datetime-local`` only
``YYYY-MM-DDTHH:MM``. Django's DateInput renders the active language's first input format,
which for zh-hans is ``2026/01/01``: the browser then shows an empty field.
"""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")
