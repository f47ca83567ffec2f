"""Question-bank pages of the Wagtail admin: import a file with a preview, export, preview."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from courses.bank_import import import_step
from courses.models import BankQuestion, QuestionBank
from courses.quiz.banks import export_bank
from courses.quiz.presentation import review_items

can_edit_banks = permission_required("courses.change_questionbank", raise_exception=True)


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
