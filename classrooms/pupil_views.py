"""Pupils' side: join a class with its code or link, see the class and one's own work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from classrooms import ratelimit, services
from classrooms.forms import JoinForm
from classrooms.models import Assignment, Classroom
from courses import services as learning
from courses.models import EnrolmentSource
from courses.queries import start_target

JOIN_ERRORS = {
    "invalid": gettext_lazy(
        "This class code is not valid, or the class no longer accepts pupils. Check it "
        "with your teacher."
    ),
    "teacher": gettext_lazy("You teach at this school, so you cannot join its classes as a pupil."),
    "outsider": gettext_lazy(
        "This class is for the pupils of %(school)s, and your account is not a pupil's account "
        "there, so it cannot join with the code. If you are a pupil of the school, ask your "
        "teacher to add you to the class."
    ),
}


def _join_error(code, classroom=None):
    school = classroom.school.name if classroom is not None else ""
    return (
        str(JOIN_ERRORS[code]) % {"school": school}
        if code == "outsider"
        else str(JOIN_ERRORS[code])
    )


@login_required
@require_http_methods(["GET", "POST"])
def join(request, code=None):
    form = JoinForm(request.POST or ({"code": code} if code else None))
    status = 200
    classroom = None
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["code"]
        receipt = ratelimit.attempt(request)
        if receipt is None:
            form.add_error(
                "code", _("Too many wrong codes. Wait a quarter of an hour, then try again.")
            )
            status = 429
        elif request.method == "POST":
            try:
                classroom = services.join_classroom(request.user, code)
            except services.JoinError as exc:
                if exc.code != "invalid":
                    ratelimit.not_a_guess(receipt)
                form.add_error("code", _join_error(exc.code, _open_class(code)))
            else:
                ratelimit.not_a_guess(receipt)
                messages.success(request, _("You have joined %(name)s.") % {"name": classroom})
                return redirect("classroom", classroom_id=classroom.pk)
        else:
            # A link or QR code: name the class so the pupil confirms the right one.
            classroom = _open_class(code)
            if classroom is None:
                form.add_error("code", _join_error("invalid"))
            else:
                ratelimit.not_a_guess(receipt)
                if classroom.pupils.filter(user=request.user).exists():
                    return redirect("classroom", classroom_id=classroom.pk)
                if services.joins_as_outsider(request.user, classroom.school):
                    form.add_error("code", _join_error("outsider", classroom))
    return render(
        request, "classrooms/join.html", {"form": form, "classroom": classroom}, status=status
    )


def _open_class(code):
    return (
        Classroom.objects.filter(join_code=code, joining_open=True, archived_at__isnull=True)
        .select_related("school")
        .first()
    )


@login_required
@require_POST
def start(request, assignment_id):
    """Open an assignment: enrol in its course (recorded as set by the class) and go to it."""
    assignment = (
        Assignment.objects.addressed_to(request.user)
        .filter(classroom__archived_at__isnull=True, classroom__pupils__user=request.user)
        .open_now()
        .select_related("course", "quiz", "organisation")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise Http404
    enrolment = learning.enrol(
        request.user,
        assignment.course,
        source=EnrolmentSource.CLASS,
        organisation=assignment.organisation,
    )
    if assignment.quiz is not None:
        return redirect(assignment.quiz.url)
    return redirect(start_target(enrolment, assignment.course).url)
