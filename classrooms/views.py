"""Teachers' pages for a class: create, fill, group, assign, archive.

Views stay thin: they find the teacher's own class (anyone else's id is a 404), validate a
form and call classrooms.services.
"""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import teaches_at_a_school, teaching_school
from accounts.confirm import confirm_page, confirmed
from classrooms import progress, services
from classrooms.access import attended_classroom, class_assignment, class_pupil, taught_classroom
from classrooms.forms import (
    AssignmentForm,
    ClassroomForm,
    CoTeacherForm,
    GroupForm,
    SchoolPupilsForm,
    dates_form,
)
from classrooms.models import AssignmentAudience, Classroom
from courses.models import Audience, CoursePage, GradeBand

SCHOOL_AUDIENCE = "school"


@login_required
def classes(request):
    if not teaches_at_a_school(request.user):
        return render(
            request,
            "classrooms/my_classes.html",
            {"classes": Classroom.objects.attended_by(request.user).active()},
        )
    school = teaching_school(request.user)
    taught = Classroom.objects.taught_by(request.user).filter(school=school)
    return render(
        request,
        "classrooms/classes.html",
        {
            "school": school,
            "active": taught.active().prefetch_related("teachers"),
            "archived": taught.archived(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def classroom_new(request):
    school = teaching_school(request.user)
    form = ClassroomForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        classroom = services.create_classroom(school, request.user, **form.cleaned_data)
        messages.success(request, _("The class is ready. Give the pupils its code to join."))
        return redirect("classroom", classroom_id=classroom.pk)
    return render(request, "classrooms/classroom_form.html", {"form": form, "school": school})


@login_required
def classroom(request, classroom_id):
    classroom = (
        Classroom.objects.taught_by(request.user)
        .select_related("school")
        .filter(pk=classroom_id)
        .first()
    )
    if classroom is None:
        return pupil_classroom(request, classroom_id)
    return render(
        request,
        "classrooms/classroom.html",
        {
            "classroom": classroom,
            "join_url": _join_url(request, classroom),
            "pupils": classroom.pupils.select_related("user").order_by(
                "user__real_name", "user__username"
            ),
            "groups": classroom.groups.prefetch_related("members"),
            "assignments": classroom.assignments.select_related("course", "quiz", "group"),
            "teachers": classroom.teachers.order_by("name_key", "username"),
        },
    )


def _join_url(request, classroom):
    return request.build_absolute_uri(reverse("classroom_join_code", args=[classroom.join_code]))


def _read_only(request, classroom):
    """A redirect with a message when the class is archived, else None."""
    if classroom.is_archived:
        messages.error(request, _("This class is archived; restore it to change it."))
        return redirect("classroom", classroom_id=classroom.pk)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def classroom_edit(request, classroom_id):
    classroom = taught_classroom(request.user, classroom_id)
    if stop := _read_only(request, classroom):
        return stop
    form = ClassroomForm(
        request.POST or None,
        school=classroom.school,
        classroom=classroom,
        initial={
            "name": classroom.name,
            "grade_band": classroom.grade_band,
            "grade": classroom.grade,
            "school_year": classroom.school_year,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.update_classroom(classroom, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("classroom", classroom_id=classroom.pk)
    return render(
        request,
        "classrooms/classroom_form.html",
        {"form": form, "school": classroom.school, "classroom": classroom},
    )


@login_required
@require_http_methods(["GET", "POST"])
def teachers(request, classroom_id):
    classroom = taught_classroom(request.user, classroom_id)
    form = CoTeacherForm(request.POST or None, classroom=classroom)
    if request.method == "POST" and "remove" in request.POST:
        teacher = get_object_or_404(classroom.teachers, pk=request.POST.get("remove"))
        if services.remove_teacher(classroom, teacher):
            messages.success(
                request, _("%(name)s no longer teaches this class.") % {"name": teacher}
            )
        else:
            messages.error(request, _("A class needs at least one teacher."))
        if teacher == request.user:
            return redirect("classes")
        return redirect("classroom_teachers", classroom_id=classroom.pk)
    if request.method == "POST" and form.is_valid():
        services.add_teachers(classroom, form.cleaned_data["teachers"])
        messages.success(request, _("Saved."))
        return redirect("classroom_teachers", classroom_id=classroom.pk)
    return render(
        request,
        "classrooms/teachers.html",
        {
            "classroom": classroom,
            "form": form,
            "teachers": classroom.teachers.order_by("name_key", "username"),
        },
    )


@login_required
@require_POST
def joining(request, classroom_id):
    classroom = taught_classroom(request.user, classroom_id)
    if stop := _read_only(request, classroom):
        return stop
    if "renew" in request.POST:
        services.renew_join_code(classroom)
        messages.success(request, _("A new class code is in force; the old one no longer works."))
    else:
        services.set_joining(classroom, request.POST.get("open") == "1")
    return redirect("classroom", classroom_id=classroom.pk)


@login_required
def join_qr(request, classroom_id):
    classroom = taught_classroom(request.user, classroom_id)
    import segno  # only this sheet draws a QR code

    qr = segno.make(_join_url(request, classroom), error="m")
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=8, border=2, dark="#1f2933", xmldecl=False)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


@login_required
def projector(request, classroom_id):
    classroom = taught_classroom(request.user, classroom_id)
    return render(
        request,
        "classrooms/projector.html",
        {"classroom": classroom, "join_url": _join_url(request, classroom)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def group(request, classroom_id, group_id=None):
    classroom = taught_classroom(request.user, classroom_id)
    if stop := _read_only(request, classroom):
        return stop
    existing = get_object_or_404(classroom.groups, pk=group_id) if group_id else None
    initial = {"name": existing.name, "members": existing.members.all()} if existing else None
    form = GroupForm(request.POST or None, classroom=classroom, group=existing, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_group(classroom, group=existing, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("classroom", classroom_id=classroom.pk)
    return render(
        request,
        "classrooms/group_form.html",
        {"classroom": classroom, "form": form, "group": existing},
    )


@login_required
@require_http_methods(["GET", "POST"])
def pupils_add(request, classroom_id):
    classroom = taught_classroom(request.user, classroom_id)
    if stop := _read_only(request, classroom):
        return stop
    form = SchoolPupilsForm(request.POST or None, classroom=classroom)
    if request.method == "POST" and form.is_valid():
        services.add_pupils(classroom, form.cleaned_data["pupils"])
        messages.success(request, _("Saved."))
        return redirect("classroom", classroom_id=classroom.pk)
    return render(request, "classrooms/pupils_add.html", {"classroom": classroom, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def pupil_remove(request, classroom_id, user_id):
    classroom = taught_classroom(request.user, classroom_id)
    if stop := _read_only(request, classroom):
        return stop
    pupil = class_pupil(classroom, user_id)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Remove %(name)s from %(class)s?") % {"name": pupil, "class": classroom},
            text=_(
                "They will no longer see the class or its assignments. Their account and "
                "learning records are kept, and you can add them again."
            ),
            button=_("Remove from the class"),
            back=reverse("classroom", args=[classroom.pk]),
        )
    services.remove_pupil(classroom, pupil)
    messages.success(
        request,
        _("%(name)s has left the class; their learning records are kept.") % {"name": pupil},
    )
    return redirect("classroom", classroom_id=classroom.pk)


def school_modules(grade_band=""):
    courses = CoursePage.objects.in_catalog().filter(audiences__slug=SCHOOL_AUDIENCE)
    if grade_band:
        courses = courses.for_grade_band(grade_band)
    return courses.order_by("grade_band", "title").distinct()


@login_required
def modules(request, classroom_id):
    classroom = taught_classroom(request.user, classroom_id)
    band = request.GET.get("grade_band", classroom.grade_band)
    if band not in GradeBand.values:
        band = ""
    courses = list(school_modules(band))
    # The class's own grade first: a grade-2 class finds the modules written for grade 2
    # at the top, then the rest of the stage (a teacher may still choose one of those).
    suited = [c for c in courses if c.suits_grade(classroom.grade_band, classroom.grade)]
    return render(
        request,
        "classrooms/modules.html",
        {
            "classroom": classroom,
            "suited": suited,
            "courses": [c for c in courses if c not in suited],
            "band": band,
            "bands": GradeBand.choices,
            "audience": Audience.objects.filter(slug=SCHOOL_AUDIENCE).first(),
        },
    )


def _assignment_audience_ids(classroom, data):
    if data["audience"] == AssignmentAudience.GROUP:
        return set(data["group"].members.values_list("pk", flat=True))
    if data["audience"] == AssignmentAudience.LEARNERS:
        return {user.pk for user in data["recipients"]}
    return set(classroom.pupils.values_list("user_id", flat=True))


@login_required
@require_http_methods(["GET", "POST"])
def assign(request, classroom_id, course_id):
    classroom = taught_classroom(request.user, classroom_id)
    if stop := _read_only(request, classroom):
        return stop
    course = school_modules().filter(pk=course_id).first()
    if course is None:
        raise Http404
    form = AssignmentForm(request.POST or None, classroom=classroom, course=course)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "anyway" not in request.POST:
            # A warning, not a refusal: a teacher may mean to set the same work twice.
            duplicates = progress.overlapping(
                classroom,
                course=course,
                quiz=data["quiz"],
                user_ids=_assignment_audience_ids(classroom, data),
            )
        if not duplicates:
            services.assign(
                classroom,
                request.user,
                course=course,
                quiz=data["quiz"],
                opens_at=data["opens_at"],
                due_at=data["due_at"],
                audience=data["audience"],
                group=data.get("group"),
                recipients=data.get("recipients") or [],
            )
            messages.success(request, _("Assigned."))
            return redirect("classroom", classroom_id=classroom.pk)
    return render(
        request,
        "classrooms/assign.html",
        {"classroom": classroom, "course": course, "form": form, "duplicates": duplicates},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_dates(request, classroom_id, assignment_id):
    classroom = taught_classroom(request.user, classroom_id)
    if stop := _read_only(request, classroom):
        return stop
    target = class_assignment(classroom, assignment_id)
    form = dates_form(target, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.set_assignment_dates(target, **form.cleaned_data)
        messages.success(request, _("The dates are changed."))
        return redirect("classroom", classroom_id=classroom.pk)
    return render(
        request,
        "classrooms/assignment_dates.html",
        {"classroom": classroom, "assignment": target, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_delete(request, classroom_id, assignment_id):
    classroom = taught_classroom(request.user, classroom_id)
    if stop := _read_only(request, classroom):
        return stop
    target = class_assignment(classroom, assignment_id)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Withdraw “%(title)s”?") % {"title": target.title},
            text=_(
                "The pupils will no longer see this assignment. Their learning records and "
                "quiz results are kept."
            ),
            button=_("Withdraw the assignment"),
            back=reverse("classroom", args=[classroom.pk]),
        )
    services.delete_assignment(target)
    messages.success(request, _("The assignment is withdrawn; the pupils' records are kept."))
    return redirect("classroom", classroom_id=classroom.pk)


@login_required
@require_POST
def archive(request, classroom_id):
    classroom = taught_classroom(request.user, classroom_id)
    if "restore" in request.POST:
        services.restore(classroom)
        messages.success(request, _("The class is active again."))
    else:
        services.archive(classroom)
        messages.success(request, _("The class is archived. Its report and every record are kept."))
    return redirect("classroom", classroom_id=classroom.pk)


# The class's page for a pupil: the same address as the teacher's page (``classroom``).
def pupil_classroom(request, classroom_id):
    classroom = attended_classroom(request.user, classroom_id)
    items = progress.pupil_assignments(request.user, classroom=classroom)
    return render(
        request,
        "classrooms/pupil_classroom.html",
        {
            "classroom": classroom,
            "items": items,
            "teachers": classroom.teachers.order_by("name_key", "username"),
        },
    )
