from urllib.parse import quote

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import roles

ALWAYS_ALLOWED = ("/static/", "/media/", "/healthz", "/language/")


class WorkRolesMiddleware:
    """The header and each dashboard section ask for the signed-in person's work roles: one
    cache read per request serves them all (accounts/roles.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with roles.read_once():
            return self.get_response(request)


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


def is_staff_member(user, path):
    """Staff are those who can reach what only staff see: ``is_staff`` or superusers
    everywhere (the Wagtail admin, the certificate PDFs of others, learner-level exports),
    and, in the admin, whoever may open it. Permissions are read only under /admin/, so a
    learner's request costs no permission query."""
    if user.is_staff or user.is_superuser:
        return True
    return path.startswith("/admin/") and user.has_perm("wagtailadmin.access_admin")


# What a staff session without its second factor may still do: set one up (which may ask
# for the password again), prove it, or leave.
TWO_FACTOR_SETUP = ("/accounts/2fa/", "/accounts/reauthenticate/", "/accounts/logout/")


class StaffTwoFactorMiddleware:
    """Staff sign in with a second factor (TOTP) before anything else, not only before the
    admin: a staff session proven by the password alone reaches no page of the site.

    Staff without an authenticator are sent to set one up; staff who have one (set up
    during this session, or a session started without it) sign in again so that the session
    itself is proven with it. Forcing the second factor at sign-in, rather than treating such
    a session as a learner's, leaves no staff-only view to be forgotten by a rule that each
    view must apply.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.STAFF_TWO_FACTOR_REQUIRED
            and request.user.is_authenticated
            and not request.path.startswith(ALWAYS_ALLOWED + TWO_FACTOR_SETUP)
            and not used_second_factor(request)
            and is_staff_member(request.user, request.path)
        ):
            has_totp = Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists()
            if not has_totp:
                messages.warning(
                    request,
                    _(
                        "Staff accounts need two-factor authentication. Set up an "
                        "authenticator app first."
                    ),
                )
                return redirect("mfa_activate_totp")
            logout(request)
            messages.info(request, _("Please sign in again with your authenticator code."))
            # Encoded, so that a path cannot add a ``next`` of its own ("/admin/x&next=...").
            return redirect(f"{reverse('account_login')}?next={quote(request.path, safe='/')}")
        return self.get_response(request)
