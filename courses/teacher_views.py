"""Question banks of a school, kept by its teachers (administrators use the Wagtail admin)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.access import require_verified, teaching_school
from courses.bank_import import import_step
from courses.models import QuestionBank, Subject
from courses.quiz.banks import export_bank


class BankForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    subject = forms.ModelChoiceField(
        Subject.objects.all(), label=gettext_lazy("Subject"), required=False
    )


def _school_bank(school, bank_id):
    bank = QuestionBank.objects.filter(pk=bank_id, organisation=school).first()
    if bank is None:
        raise Http404
    return bank


@login_required
@require_http_methods(["GET", "POST"])
def banks(request):
    school = require_verified(teaching_school(request.user))
    form = BankForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        base = slugify(f"school-{school.pk}-{form.cleaned_data['name']}", allow_unicode=False)
        slug = base or f"school-{school.pk}-bank"
        n = 1
        while QuestionBank.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        bank = QuestionBank.objects.create(
            slug=slug,
            name=form.cleaned_data["name"],
            subject=form.cleaned_data["subject"],
            organisation=school,
        )
        return redirect("school_bank", bank_id=bank.pk)
    return render(
        request,
        "courses/school_banks.html",
        {
            "school": school,
            "form": form,
            "banks": QuestionBank.objects.filter(organisation=school).select_related("subject"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def bank(request, bank_id):
    school = require_verified(teaching_school(request.user))
    bank = _school_bank(school, bank_id)
    form, preview, finished = import_step(request, bank)
    if finished or (request.method == "POST" and "confirm" in request.POST):
        return redirect("school_bank", bank_id=bank.pk)
    return render(
        request,
        "courses/school_bank.html",
        {
            "school": school,
            "bank": bank,
            "form": form,
            "preview": preview,
            "questions": bank.questions.order_by("name"),
        },
    )


@login_required
def bank_export(request, bank_id):
    bank = _school_bank(require_verified(teaching_school(request.user)), bank_id)
    response = HttpResponse(export_bank(bank), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{bank.slug}.gift.txt"'
    return response
