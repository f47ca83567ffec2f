"""Importing a GIFT or Aiken file into a question bank in two steps, upload with a preview
then confirm: shared by the Wagtail admin's bank page and the teachers' bank page."""

from django import forms
from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.quiz.banks import BankImportError, import_questions, parse_questions


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("GIFT or Aiken file"))
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=[("gift", "GIFT"), ("aiken", "Aiken")]
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("Save the file as UTF-8 text.")) from exc


def import_step(request, bank):
    """One step of "upload, preview, confirm" for a bank: (form, preview, finished).

    The checked file waits in the session between the preview and the confirmation, so
    nothing is written until the person has seen what the file holds.
    """
    session_key = f"bank-import-{bank.pk}"
    if request.method == "POST" and "confirm" in request.POST:
        text, fmt = request.session.pop(session_key, (None, None))
        if text is None:
            messages.error(request, _("The preview has expired; upload the file again."))
            return ImportForm(), None, False
        created, updated, unchanged = import_questions(bank, parse_questions(text, fmt))
        messages.success(
            request,
            _("%(c)d created, %(u)d updated, %(n)d unchanged.")
            % {"c": created, "u": updated, "n": unchanged},
        )
        return None, None, True
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            preview = parse_questions(form.cleaned_data["file"], form.cleaned_data["format"])
            request.session[session_key] = (form.cleaned_data["file"], form.cleaned_data["format"])
        except BankImportError as exc:
            form.add_error("file", str(exc))
    return form, preview, False
