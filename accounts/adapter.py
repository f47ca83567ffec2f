from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


def display_name(user):
    return user.real_name or user.username


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return getattr(settings, "ACCOUNT_SIGNUP_OPEN", True)

    def clean_password(self, password, user=None):
        return super().clean_password(password, user=user)
