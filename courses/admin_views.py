"""Question-bank pages of the Wagtail admin: import a file with a preview, export, preview."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import BankQuestion, QuestionBank
from courses.quiz.banks import BankImportError, export_bank, import_questions, parse_questions
from courses.quiz.presentation import review_items


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


can_edit_banks = permission_required("courses.change_questionbank", raise_exception=True)


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


@can_edit_banks
def import_view(request, bank_id):
    bank = get_object_or_404(QuestionBank, pk=bank_id)
    form, preview, finished = import_step(request, bank)
    if finished:
        return redirect("bankquestion:index")
    return TemplateResponse(
        request, "courses/admin/bank_import.html", {"bank": bank, "form": form, "preview": preview}
    )


@can_edit_banks
def export_view(request, bank_id):
    bank = get_object_or_404(QuestionBank, pk=bank_id)
    response = HttpResponse(export_bank(bank), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{bank.slug}.gift.txt"'
    return response


class _PreviewAttempt:
    """Just enough of an attempt for the review renderer: one question, nothing answered."""

    is_open = False

    def __init__(self, question):
        self.snapshot = {"items": [{"key": "preview", "question": question.data, "order": []}]}


@can_edit_banks
def preview_view(request, question_id):
    question = get_object_or_404(BankQuestion, pk=question_id)
    item = review_items(_PreviewAttempt(question), {}, show_answers=True)[0]
    return TemplateResponse(
        request, "courses/admin/question_preview.html", {"question": question, "item": item}
    )
