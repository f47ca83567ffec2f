from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from accounts.models import Membership


def set_password_url(user):
    """allauth's password-reset link for the user, absolute on the public site address."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def platform_name():
    """The site's own name (Wagtail's default site), never text an organisation typed."""
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    return (site.site_name if site else "") or "质量学堂"


@task()
def send_welcome_emails(user_ids):
    """Tell imported staff they have an account and let them set a password.

    The subject names only the platform: an organisation's name is free text that anyone
    registering can choose, and it must not make a message look like it comes from someone
    else."""
    platform = platform_name()
    memberships = Membership.objects.filter(user_id__in=user_ids).select_related(
        "user", "organisation"
    )
    with translation.override(settings.LANGUAGE_CODE):
        for membership in memberships:
            user = membership.user
            if not user.email:
                continue
            context = {
                "user": user,
                "organisation": membership.organisation,
                "platform": platform,
                "set_password_url": set_password_url(user),
            }
            subject = render_to_string("accounts/email/welcome_subject.txt", context).strip()
            body = render_to_string("accounts/email/welcome_message.txt", context)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
