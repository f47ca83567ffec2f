from allauth.account.signals import password_changed, password_reset, password_set
from django.dispatch import receiver

from accounts.adapter import FIRST_PASSWORD_CHOSEN
from accounts.services import mark_password_changed


@receiver(password_changed)
@receiver(password_set)
@receiver(password_reset)
def password_chosen(sender, request=None, user=None, signal=None, **kwargs):
    """A password the person chose themselves ends the teacher-set one."""
    if user is not None:
        # Not for a reset by e-mail link: its pages lead on by themselves.
        if user.must_change_password and request is not None and signal is not password_reset:
            request.session[FIRST_PASSWORD_CHOSEN] = True
        mark_password_changed(user)
