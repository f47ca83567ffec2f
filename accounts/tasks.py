from urllib.parse import urlsplit

from allauth.account.adapter import get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from accounts.models import Membership


def site_request():
    """A request for the public site address, to build absolute links outside a request."""
    url = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    request = HttpRequest()
    request.META.update(
        {
            "HTTP_HOST": url.netloc,
            "SERVER_NAME": url.hostname or "localhost",
            "SERVER_PORT": str(url.port or (443 if url.scheme == "https" else 80)),
        }
    )
    return request


@task()
def send_welcome_emails(user_ids):
    """Tell imported staff they have an account and let them set a password (a reset link)."""
    adapter = get_adapter()
    request = site_request()
    memberships = Membership.objects.filter(user_id__in=user_ids).select_related(
        "user", "organisation"
    )
    with translation.override(settings.LANGUAGE_CODE):
        for membership in memberships:
            user = membership.user
            if not user.email:
                continue
            key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
            context = {
                "user": user,
                "organisation": membership.organisation,
                "set_password_url": request.build_absolute_uri(
                    adapter.get_reset_password_from_key_url(key)
                ),
            }
            subject = render_to_string("accounts/email/welcome_subject.txt", context).strip()
            body = render_to_string("accounts/email/welcome_message.txt", context)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
