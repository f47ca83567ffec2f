from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied

from cms.ratelimit import client_ip


def display_name(user):
    """How allauth names a person in its pages and e-mails: the real name when there is one."""
    return user.real_name or user.username


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
