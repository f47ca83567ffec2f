from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


def display_name(user):
    """How allauth names a person in its pages and e-mails: the real name when there is one."""
    return user.real_name or user.username


# Set in the session when a pupil replaces their teacher-set password (accounts.receivers).
FIRST_PASSWORD_CHOSEN = "accounts:first_password_chosen"


class AccountAdapter(DefaultAccountAdapter):
    def get_password_change_redirect_url(self, request):
        """A pupil who has just chosen their first password goes on to their learning."""
        if request.session.pop(FIRST_PASSWORD_CHOSEN, False):
            return reverse("dashboard")
        return super().get_password_change_redirect_url(request)
