from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from lti_tool.models import Key, LtiRegistration

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
