"""What a launched person's account holds of their learning platform, in their data export
and gone with the account.

django-lti keeps the claims of each launch (name, e-mail, picture) on its LtiUser, whose
link to the account is set to null when the account goes: left alone, the platform's copy of
the person would outlive the account. Deleting it takes our PlatformAccount mark with it.
"""

from django.dispatch import receiver
from lti_tool.models import LtiUser

from accounts.signals import account_deleting, personal_data_requested


@receiver(account_deleting)
def forget_platform_identities(sender, user, **kwargs):
    LtiUser.objects.filter(auth_user=user).delete()


@receiver(personal_data_requested)
def platform_identities(sender, user, **kwargs):
    return {
        "learning_platform_identities": [
            {
                "platform": person.registration.name,
                "issuer": person.registration.issuer,
                "subject": person.sub,
                "name": person.name,
                "given_name": person.given_name,
                "family_name": person.family_name,
                "email": person.email,
                "first_launch": person.datetime_created.isoformat(),
            }
            for person in LtiUser.objects.filter(auth_user=user).select_related("registration")
        ]
    }
