from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import render
from django.views.decorators.http import require_GET
from lti_tool.models import Key, LtiRegistration

from lti.models import PassbackState, ScorePassback
from lti.tool import ensure_key, tool_urls


def configuration(request):
    """What an administrator pastes into the platform: one block for any platform that
    sends its client id at login, and one per registration for those that do not."""
    if not request.user.has_perm("lti_tool.view_ltiregistration"):
        raise PermissionDenied
    ensure_key()
    return render(
        request,
        "lti/admin/configuration.html",
        {
            "urls": tool_urls(request),
            "registrations": [
                (registration, tool_urls(request, registration))
                for registration in LtiRegistration.objects.order_by("name")
            ],
            "keys": Key.objects.active().order_by("-datetime_created"),
        },
    )


STATES = {state.value for state in PassbackState}


@permission_required("lti.view_scorepassback", raise_exception=True)
@require_GET
def passbacks(request):
    """Grade passbacks for administrators: counts by state and the latest rows (whose score
    went where, how many tries, the last error), newest first, optionally of one state."""
    state = request.GET.get("state", "")
    rows = ScorePassback.objects.select_related(
        "link__user", "link__page", "link__registration"
    ).order_by("-created_at")
    if state in STATES:
        rows = rows.filter(state=state)
    counts = dict(
        ScorePassback.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    return render(
        request,
        "lti/admin/passbacks.html",
        {
            "rows": rows[:200],
            "state": state,
            "states": [(s.value, s.label, counts.get(s.value, 0)) for s in PassbackState],
        },
    )
