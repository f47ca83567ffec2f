from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import filter_users_by_email, filter_users_by_username
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from serving.ratelimit import client_ip


def display_name(user):
    """How allauth names a person in its pages and e-mails: the real name when there is one."""
    return user.real_name or user.username


# Set in the session when a pupil replaces their teacher-set password (accounts.receivers).
FIRST_PASSWORD_CHOSEN = "accounts:first_password_chosen"


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """The address allauth's sign-in limits count: the same as every other limit's.

        allauth's own reading of X-Forwarded-For fails with a server error on a header
        shorter than ALLAUTH_TRUSTED_PROXY_COUNT; ours falls back to REMOTE_ADDR.
        """
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def _get_login_attempts_cache_key(self, request, **credentials):
        """The account whose failed sign-ins are counted (5 in 5 minutes), whichever way it
        is named. allauth counts the text typed, so a guesser alternating the username and
        the e-mail address, or their capitals, had twice the tries, and a password reset
        (which clears the count under the e-mail address) left a hold by username standing.
        """
        user = _account_named(credentials)
        if user is None:
            return super()._get_login_attempts_cache_key(request, **credentials)
        return f"{get_current_site(request).domain}:account:{user.pk}"

    def get_password_change_redirect_url(self, request):
        """A pupil who has just chosen their first password goes on to their learning."""
        if request.session.pop(FIRST_PASSWORD_CHOSEN, False):
            return reverse("dashboard")
        return super().get_password_change_redirect_url(request)


def _account_named(credentials):
    """The one account a sign-in's credentials name, or None."""
    email = credentials.get("email")
    if email:
        users = filter_users_by_email(email)
        if len(users) == 1:
            return users[0]
    username = credentials.get("username")
    if username:
        users = list(filter_users_by_username(username)[:2])
        if len(users) == 1:
            return users[0]
    return None
