from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import managed_organisation, member_of
from accounts.confirm import confirm_page, confirmed
from accounts.models import OrganisationKind
from classrooms import notifications
from classrooms import services as class_services
from classrooms.forms import dates_form
from classrooms.models import Assignment
from courses.queries import start_target
from reports import exports
from training import assignments as staff_work
from training import progress
from training.forms import StaffAssignmentForm

STAFF_HEADER = [
    (gettext_lazy("Name"), lambda r: r.user.real_name),
    (gettext_lazy("Username or e-mail"), lambda r: r.user.email or r.user.username),
    (gettext_lazy("Department"), lambda r: r.membership.department),
    (gettext_lazy("Staff number"), lambda r: r.membership.staff_number),
    (gettext_lazy("In progress"), lambda r: r.in_progress),
    (gettext_lazy("Completed"), lambda r: r.completed),
    (gettext_lazy("Training hours this year"), lambda r: r.hours_year),
    (gettext_lazy("Training hours in all"), lambda r: r.hours_total),
    (gettext_lazy("Certificates in force"), lambda r: r.certificates),
    (gettext_lazy("Quizzes passed"), lambda r: r.passed),
    (gettext_lazy("Quiz attempts"), lambda r: r.attempts),
    (gettext_lazy("Chief quality officer"), lambda r: _cqo_text(r)),
]


def _cqo_text(row):
    if not row.membership.chief_quality_officer:
        return ""
    return _("current") if row.cqo_current else _("not current")


def _year(request):
    value = request.GET.get("year", "")
    this_year = timezone.localdate().year
    return int(value) if value.isdigit() and 2015 <= int(value) <= this_year else this_year


@login_required
@require_GET
def staff(request):
    organisation = managed_organisation(request.user)
    memberships = organisation.memberships.order_by("department", "user__name_key", "pk")
    department = request.GET.get("department", "")[:60]
    if department:
        memberships = memberships.filter(department=department)
    year = _year(request)
    rows, required = progress.staff_progress(memberships, year=year)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        exports.record(
            request,
            f"staff.{fmt}",
            {"organisation": organisation.pk, "year": year},
            rows=len(rows),
            subjects=[row.membership.user_id for row in rows],
        )
        header = [str(label) for label, _value in STAFF_HEADER]
        body = ([value(row) for _label, value in STAFF_HEADER] for row in rows)
        return exports.download(fmt, f"staff-{organisation.pk}-{year}", header, body)
    departments = (
        organisation.memberships.exclude(department="")
        .order_by("department")
        .values_list("department", flat=True)
        .distinct()
    )
    return render(
        request,
        "training/staff.html",
        {
            "organisation": organisation,
            "rows": rows,
            "required": required,
            "departments": departments,
            "department": department,
            "year": year,
            "query": request.GET.urlencode(),
            "is_enterprise": organisation.kind == OrganisationKind.ENTERPRISE,
        },
    )


@login_required
@require_GET
def member_ledger(request, membership_id):
    organisation = managed_organisation(request.user)
    membership = member_of(organisation, membership_id)
    return _ledger(request, membership.user, organisation=organisation, membership=membership)


@login_required
@require_GET
def my_ledger(request):
    return _ledger(request, request.user)


def _ledger(request, person, **context):
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        if person != request.user:
            exports.record(request, f"ledger.{fmt}", {"user": person.pk}, subjects=[person.pk])
        header = [
            _("Year"),
            _("Course"),
            _("Completed"),
            _("Training hours"),
            _("Certificate number"),
            _("Status"),
        ]
        return exports.download(fmt, f"ledger-{person.pk}", header, progress.ledger_rows(person))
    return render(
        request,
        "training/ledger.html",
        {"person": person, "years": progress.ledger(person), "query": "", **context},
    )


@login_required
@require_POST
def mark_cqo(request, membership_id):
    organisation = managed_organisation(request.user)
    membership = member_of(organisation, membership_id)
    if organisation.kind != OrganisationKind.ENTERPRISE:
        messages.error(request, _("Only enterprises have a chief quality officer."))
        return redirect("staff_progress")
    membership.chief_quality_officer = request.POST.get("value") == "1"
    membership.save(update_fields=["chief_quality_officer", "updated_at"])
    messages.success(
        request,
        _("%(name)s is now marked as chief quality officer.") % {"name": membership.user.real_name}
        if membership.chief_quality_officer
        else _("%(name)s is no longer marked as chief quality officer.")
        % {"name": membership.user.real_name},
    )
    return redirect("staff_progress")


@login_required
@require_http_methods(["GET", "POST"])
def assignments(request):
    organisation = managed_organisation(request.user)
    form = StaffAssignmentForm(request.POST or None, organisation=organisation)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        course, audience = form.cleaned_data["course"], form.audience()
        if "anyway" not in request.POST:
            # A warning, not a refusal: a manager may mean to set the same course again.
            reached = staff_work.reached_user_ids(organisation, **audience)
            duplicates = staff_work.overlapping(organisation, course, reached)
        if not duplicates:
            assignment = staff_work.assign(
                organisation,
                request.user,
                course=course,
                opens_at=form.cleaned_data["opens_at"],
                due_at=form.cleaned_data["due_at"],
                **audience,
            )
            messages.success(request, _("The course was assigned."))
            return redirect("staff_assignment", assignment_id=assignment.pk)
    return render(
        request,
        "training/assignments.html",
        {
            "organisation": organisation,
            "form": form,
            "duplicates": duplicates,
            "assignments": staff_work.staff_assignments(organisation),
        },
    )


def _own_assignment(request, assignment_id):
    organisation = managed_organisation(request.user)
    return get_object_or_404(
        Assignment.objects.select_related("course", "organisation"),
        pk=assignment_id,
        organisation=organisation,
        classroom__isnull=True,
    )


@login_required
@require_GET
def assignment(request, assignment_id):
    work = _own_assignment(request, assignment_id)
    rows = staff_work.statuses(work)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        exports.record(
            request,
            f"assignment.{fmt}",
            {"assignment": work.pk},
            rows=len(rows),
            subjects=[m.user_id for m, _cell in rows],
        )
        header = [_("Name"), _("Department"), _("Status"), _("Progress")]
        body = (
            [
                m.user.real_name or m.user.username,
                m.department,
                str(cell.label),
                "" if cell.score is None else cell.score,
            ]
            for m, cell in rows
        )
        return exports.download(fmt, f"assignment-{work.pk}", header, body)
    return render(
        request,
        "training/assignment.html",
        {
            "assignment": work,
            "rows": rows,
            "dates_form": dates_form(work),
            "last_reminder": notifications.last_reminder(work),
            "not_done": sum(1 for _m, cell in rows if cell.status not in notifications.DONE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_dates(request, assignment_id):
    work = _own_assignment(request, assignment_id)
    form = dates_form(work, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        class_services.set_assignment_dates(work, **form.cleaned_data)
        messages.success(request, _("The dates are changed."))
        return redirect("staff_assignment", assignment_id=work.pk)
    return render(request, "training/assignment_dates.html", {"assignment": work, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, assignment_id):
    work = _own_assignment(request, assignment_id)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Withdraw “%(title)s”?") % {"title": work.title},
            text=_(
                "Staff will no longer see this assignment. Their learning records and "
                "certificates are kept."
            ),
            button=_("Withdraw the assignment"),
            back=reverse("staff_assignment", args=[work.pk]),
        )
    class_services.delete_assignment(work)
    messages.success(request, _("The assignment was withdrawn; learning records are kept."))
    return redirect("staff_assignments")


@login_required
@require_POST
def remind(request, assignment_id):
    work = _own_assignment(request, assignment_id)
    ok, message = notifications.remind(work, request.user, request.POST.get("confirm"))
    (messages.success if ok else messages.error)(request, message)
    return redirect("staff_assignment", assignment_id=work.pk)


@login_required
@require_POST
def start(request, assignment_id):
    """Open a staff assignment: enrol (recorded as set by the organisation), go to the unit."""
    work = staff_work.open_for(request.user, assignment_id)
    if work is None:
        raise Http404
    enrolment = staff_work.start(request.user, work)
    return redirect(start_target(enrolment, work.course).url)
