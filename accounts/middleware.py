from urllib.parse import quote

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

ALWAYS_ALLOWED = ("/static/", "/media/", "/healthz", "/language/")


class PasswordChangeRequiredMiddleware:
    """A pupil with a password their teacher set may do nothing until they choose their own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = (reverse("account_change_password"), reverse("account_logout"))
            if not request.path.startswith(ALWAYS_ALLOWED + allowed):
                return redirect("account_change_password")
        return self.get_response(request)


def used_second_factor(request):
    methods = request.session.get("account_authentication_methods", [])
    return any(method.get("method") == "mfa" for method in methods)


class StaffTwoFactorMiddleware:
    """The Wagtail admin opens only for staff who signed in with a second factor (TOTP).

    Staff without an authenticator are sent to set one up; staff who set one up during this
    session sign in again so that the session itself is proven with it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.STAFF_TWO_FACTOR_REQUIRED
            and request.path.startswith("/admin/")
            and request.user.is_authenticated
            and not used_second_factor(request)
            and request.user.has_perm("wagtailadmin.access_admin")
        ):
            has_totp = Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists()
            if not has_totp:
                messages.warning(
                    request,
                    _(
                        "The administration area needs two-factor authentication. Set up an "
                        "authenticator app first."
                    ),
                )
                return redirect("mfa_activate_totp")
            logout(request)
            messages.info(request, _("Please sign in again with your authenticator code."))
            # Encoded, so that a path cannot add a ``next`` of its own ("/admin/x&next=...").
            return redirect(f"{reverse('account_login')}?next={quote(request.path, safe='/')}")
        return self.get_response(request)
