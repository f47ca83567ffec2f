"""The class report, its exports, a quiz's item analysis and essays graded inline."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import require_verified
from accounts.signals import personal_data_exported
from classrooms import analysis, export
from classrooms.access import class_assignment, taught_classroom
from classrooms.models import Classroom, LearnerStatus
from classrooms.reports import SORTS, class_report
from courses.quiz.attempts import grade_essay


@login_required
def report(request, classroom_id):
    classroom = taught_classroom(request.user, classroom_id)
    sort = request.GET.get("sort", "help")
    result = class_report(classroom, sort=sort)
    return render(
        request,
        "classrooms/report.html",
        {
            "classroom": classroom,
            "report": result,
            "sort": sort if sort in SORTS or sort.startswith("a") else "help",
            "statuses": LearnerStatus,
        },
    )


@login_required
def report_export(request, classroom_id, fmt):
    classroom = taught_classroom(request.user, classroom_id)
    result = class_report(classroom, sort=request.GET.get("sort", "help"))
    stamp = timezone.localdate().isoformat()
    name = slugify(classroom.name) or f"class-{classroom.pk}"
    if fmt == "csv":
        response = HttpResponse(export.as_csv(result), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            export.as_xlsx(result),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    personal_data_exported.send(
        sender=Classroom,
        user=request.user,
        what=f"class-report.{fmt}",
        parameters={"classroom": classroom.pk},
        rows=len(result.rows),
        subjects=[row.user.pk for row in result.rows],
    )
    response["Content-Disposition"] = f'attachment; filename="{name}-report-{stamp}.{fmt}"'
    return response


class EssayGradeForm(forms.Form):
    score = forms.IntegerField(label=gettext_lazy("Score (%)"), min_value=0, max_value=100)
    comment = forms.CharField(
        label=gettext_lazy("Comment for the pupil"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _pupil_ids(classroom):
    return list(classroom.pupils.values_list("user_id", flat=True))


@login_required
def assignment(request, classroom_id, assignment_id):
    classroom = taught_classroom(request.user, classroom_id)
    require_verified(classroom.school)
    target = class_assignment(classroom, assignment_id)
    if target.quiz is None:
        raise Http404
    ids = _pupil_ids(classroom)
    questions = {q.name: q for q in target.quiz.own_questions()}
    essays = [
        (response, questions.get(response.question_key), EssayGradeForm(prefix=f"r{response.pk}"))
        for response in analysis.essays_to_grade(target.quiz, ids, request.user)
    ]
    return render(
        request,
        "classrooms/assignment.html",
        {
            "classroom": classroom,
            "assignment": target,
            "items": analysis.item_analysis(target.quiz, ids),
            "shows_key": analysis.shows_key(target.quiz),
            "essays": essays,
        },
    )


@login_required
@require_POST
def grade(request, classroom_id, assignment_id, response_id):
    classroom = taught_classroom(request.user, classroom_id)
    require_verified(classroom.school)
    target = class_assignment(classroom, assignment_id)
    response = (
        analysis.essays_to_grade(target.quiz, _pupil_ids(classroom), request.user)
        .filter(pk=response_id)
        .first()
        if target.quiz_id
        else None
    )
    if response is None:
        raise Http404
    form = EssayGradeForm(request.POST, prefix=f"r{response.pk}")
    if form.is_valid():
        credit = Decimal(form.cleaned_data["score"]) / 100
        grade_essay(response, credit, request.user, form.cleaned_data["comment"])
        messages.success(request, _("Graded: %(name)s.") % {"name": response.attempt.user})
    else:
        messages.error(request, _("Give a score from 0 to 100."))
    return redirect("classroom_assignment", classroom_id=classroom.pk, assignment_id=target.pk)
