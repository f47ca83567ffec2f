from django.db.models.signals import post_delete
from django.dispatch import receiver

from accounts.models import Membership
from accounts.signals import account_deleting, personal_data_requested
from api import keys
from api.models import ApiKey, Departure


@receiver(account_deleting)
def revoke_keys_of_deleted_account(sender, user, **kwargs):
    # A key acts in the name of the manager who made it, and its calls are logged under
    # that name: when the person goes, so does the key. The row stays (created_by is set
    # to null with the account) so the organisation still sees that it existed.
    keys.revoke_created_by(user)


@receiver(personal_data_requested)
def keys_in_personal_data(sender, user, **kwargs):
    return {
        "api_keys_created": [
            {
                "name": key.name,
                "prefix": key.prefix,
                "organisation": key.organisation.name,
                "created_at": key.created_at.isoformat(),
                "last_used_at": key.last_used_at.isoformat() if key.last_used_at else None,
                "revoked_at": key.revoked_at.isoformat() if key.revoked_at else None,
            }
            for key in ApiKey.objects.filter(created_by=user).select_related("organisation")
        ]
    }


@receiver(post_delete, sender=Membership)
def note_departure(sender, instance, **kwargs):
    # In the deleting transaction: the departure is recorded exactly when the member goes.
    Departure.objects.create(organisation_id=instance.organisation_id, member_id=instance.pk)
