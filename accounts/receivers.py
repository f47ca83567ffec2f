from allauth.account.signals import password_changed, password_reset, password_set
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from accounts import roles
from accounts.adapter import FIRST_PASSWORD_CHOSEN
from accounts.models import Membership, User
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


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def membership_changed(sender, instance, **kwargs):
    roles.forget(instance.user_id)


@receiver(post_save, sender=User)
def user_changed(sender, instance, update_fields=None, **kwargs):
    # A sign-in saves only last_login, which changes no role.
    if update_fields is None or set(update_fields) - {"last_login"}:
        roles.forget(instance.pk)


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
def user_groups_changed(sender, instance, pk_set=None, **kwargs):
    if isinstance(instance, User):
        roles.forget(instance.pk)
    else:  # changed from the group's or permission's side
        for user_id in pk_set or ():
            roles.forget(user_id)


@receiver(user_logged_in)
def roles_at_sign_in(sender, user, **kwargs):
    """Work the roles out as one signs in, so no page afterwards pays for them."""
    roles.forget(user.pk)
    roles.work_roles(user)
