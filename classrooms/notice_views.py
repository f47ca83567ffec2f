"""Notifications on the dashboard, reminders sent by teachers, and the private calendar feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from classrooms import calendar, notifications
from classrooms.access import class_assignment, taught_classroom


@login_required
@require_POST
def mark_all_read(request):
    notifications.mark_all_read(request.user)
    return redirect("dashboard")


@login_required
@require_POST
def class_reminder(request, classroom_id, assignment_id):
    classroom = taught_classroom(request.user, classroom_id)
    assignment = class_assignment(classroom, assignment_id)
    if classroom.is_archived:
        raise Http404
    ok, message = notifications.remind(assignment, request.user, request.POST.get("confirm"))
    (messages.success if ok else messages.error)(request, message)
    return redirect("classroom", classroom_id=classroom.pk)


@login_required
@require_POST
@never_cache
def calendar_renew(request):
    """Make a new secret address and show it once: only its hash is kept."""
    token = calendar.renew(request.user)
    url = request.build_absolute_uri(f"/calendar/{token}.ics")
    return render(request, "classrooms/calendar_link.html", {"url": url})


@require_GET
@never_cache
def calendar_feed(request, token):
    user = calendar.owner(token)
    if user is None:
        raise Http404
    response = HttpResponse(calendar.feed(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="due-dates.ics"'
    return response
