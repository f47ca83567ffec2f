"""The teacher's page for pulling a platform course's roster into one of their classes
(lti.roster). The link comes from an instructor's launch; the page is used signed in with
the teacher's own account here, so only the classes they teach are offered, and any other
class id is not found."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from classrooms.access import taught_classroom
from classrooms.models import Classroom
from lti import roster


@login_required
@require_http_methods(["GET", "POST"])
def pull(request, token):
    source = roster.source_from(token)
    if source is None:
        raise Http404
    classes = list(
        Classroom.objects.taught_by(request.user)
        .active()
        .select_related("school")
        .order_by("name")
        .distinct()
    )
    pulls = {pull.classroom_id: pull for pull in source.pulls.filter(classroom__in=classes)}
    status = 200
    if request.method == "POST":
        choice = request.POST.get("classroom", "")
        if not choice.isdigit():
            raise Http404
        classroom = taught_classroom(request.user, int(choice))
        if classroom.is_archived:
            raise Http404
        try:
            added = roster.pull(source, classroom)
        except roster.RosterUnavailable:
            messages.error(
                request,
                _(
                    "The platform did not give its list of members; nothing was changed. Try again later."
                ),
            )
            status = 502
        else:
            messages.success(
                request,
                _("%(count)s pupils added to %(class)s; those already in it are unchanged.")
                % {"count": added, "class": classroom.name},
            )
            return redirect(request.path)
    return render(
        request,
        "lti/roster_pull.html",
        {
            "source": source,
            "rows": [(classroom, pulls.get(classroom.pk)) for classroom in classes],
            "platform_account": hasattr(request.user, "lti_account"),
        },
        status=status,
    )
