from allauth.account.signals import password_changed, password_reset, password_set
from django.dispatch import receiver

from accounts.services import mark_password_changed


@receiver(password_changed)
@receiver(password_set)
@receiver(password_reset)
def password_chosen(sender, request=None, user=None, **kwargs):
    """A password the person chose themselves ends the teacher-set one."""
    if user is not None:
        mark_password_changed(user)
