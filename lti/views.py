"""The tool's public endpoints: key set, OIDC login initiation and the launch.

The login and launch are cross-site by nature (the platform's page posts to them), so they
are exempt from CSRF; their protection is the state cookie, the signed id_token and the
one-time nonce (lti.launch). They may be shown inside the iframe of a registered platform,
and of no other site.
"""

from functools import wraps
from urllib.parse import urlencode, urlsplit

from django.contrib.auth import login
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from lti_tool.models import Key
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoOIDCLogin
from pylti1p3.exception import LtiException, OIDCException

from lti import deep_linking, grades, launch, roster
from lti.tool import ToolConfig, ensure_key, platform_origins

LOGIN_PARAMS = (
    "iss",
    "login_hint",
    "target_link_uri",
    "lti_message_hint",
    "client_id",
    "lti_deployment_id",
)


def _frameable(view):
    """The platform shows these pages in its iframe: Django's X-Frame-Options is lifted for
    them alone, and the site's frame-ancestors 'none' becomes the registered platforms'
    origins, so no other site can frame a launch's answer."""

    @wraps(view)
    def framed(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response._csp_replace = {"frame-ancestors": platform_origins() or ["'none'"]}
        return response

    return xframe_options_exempt(framed)


def refused(request, reason, status=403):
    return render(request, "lti/refused.html", {"reason": reason}, status=status)


@require_GET
def jwks(request):
    """Every active key: the one that signs now and those rotated out but still published."""
    ensure_key()
    return JsonResponse(Key.objects.as_jwks())


@csrf_exempt
@_frameable
@require_http_methods(["GET", "POST"])
def login_initiation(request, registration_uuid=None):
    params = request.POST if request.method == "POST" else request.GET
    if not params.get("iss") or not params.get("login_hint") or not params.get("target_link_uri"):
        return refused(request, _("The platform's login request is incomplete."), status=400)
    ensure_key()
    oidc = DjangoOIDCLogin(
        request, ToolConfig(registration_uuid), launch_data_storage=DjangoCacheDataStorage()
    )
    try:
        redirect = oidc.get_redirect_object(request.build_absolute_uri(reverse("lti:launch")))
    except (LtiException, OIDCException):
        return refused(request, _("This platform is not registered here."))
    state = oidc._cookie_service._cookie_data_to_set
    for name in state:
        if name.startswith("lti1p3-state-"):
            launch.remember_login(
                name.removeprefix("lti1p3-"),
                {
                    "path": request.path,
                    **{key: params[key] for key in LOGIN_PARAMS if params.get(key)},
                },
            )
    return redirect.do_redirect()


def _login_url(params):
    params = dict(params)
    path = params.pop("path", reverse("lti:login"))
    return f"{path}?{urlencode(params)}"


@csrf_exempt
@_frameable
@require_http_methods(["GET", "POST"])
def launch_view(request):
    if request.method == "GET":
        # Someone opened the launch address itself (a bookmark, a pasted link): a launch is
        # a form the platform posts, so say where to start instead of a bare 405.
        response = render(request, "lti/launch_get.html", status=405)
        response["Allow"] = "POST"
        return response
    try:
        message = launch.validate(request, _login_url)
    except launch.StateCookieMissing as missing:
        return render(request, "lti/new_window.html", {"login_url": missing.login_url}, status=200)
    except launch.LaunchRefused as refusal:
        return refused(request, refusal.reason)
    if message.is_deep_link_launch and not deep_linking.is_teacher(message):
        return refused(request, _("Only a teacher of the platform's course can choose content."))
    try:
        user = launch.accept(message)
    except launch.LaunchRefused as refusal:
        return refused(request, refusal.reason)
    login(request, user, backend="accounts.backends.ModelBackend")
    if message.is_deep_link_launch:
        return deep_linking.start(request, message)
    page = launch.target_page(message)
    if page is None:
        return refused(
            request, _("The link in your platform points to no course or quiz here."), status=404
        )
    grades.remember_link(message, user, page)
    token = roster.remember_source(message) if deep_linking.is_teacher(message) else None
    if token:
        return render(
            request,
            "lti/instructor_landing.html",
            {"page": page, "roster_url": reverse("lti:roster", args=[token])},
        )
    return HttpResponseRedirect(page.url)


@csrf_exempt
@_frameable
@require_POST
def deep_link_choice(request):
    """The teacher's choice; the signed launch id in the form stands in for the CSRF cookie
    that a blocked third-party context would not send."""
    message = deep_linking.restore(request, request.POST.get("token", ""))
    if message is None:
        return refused(request, _("This choice has expired or was not made here."), status=400)
    choice = request.POST.get("page", "")
    page = deep_linking.catalog().filter(pk=int(choice)).first() if choice.isdigit() else None
    if page is None:
        return refused(request, _("Choose a course or quiz from the list."), status=400)
    jwt, return_url = deep_linking.response_for(request, message, page)
    response = render(
        request, "lti/deep_link_return.html", {"jwt": jwt, "return_url": return_url, "page": page}
    )
    # The form posts to the platform's return address, which the site's policy must allow.
    parts = urlsplit(return_url)
    response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}
    return response
