"""Courseware's part of a person's data export and of their account's deletion: the run-time
records (CMI data, suspend data, scores) of the SCORM and H5P units they played."""

from django.dispatch import receiver

from accounts.signals import account_deleting, personal_data_requested
from courseware.models import PackageRecord


def _when(value):
    return value.isoformat() if value else None


@receiver(account_deleting)
def forget_package_records(sender, user, **kwargs):
    PackageRecord.objects.filter(user=user).delete()


@receiver(personal_data_requested)
def package_records(sender, user, **kwargs):
    records = PackageRecord.objects.filter(user=user).select_related("unit").order_by("pk")
    return {
        "courseware_records": [
            {
                "unit": record.unit.title,
                "completion": record.completion,
                "success": record.success,
                "score": record.score,
                "location": record.location,
                "suspend_data": record.suspend_data,
                "total_seconds": record.total_seconds,
                "attempts": record.attempts,
                "cmi": record.cmi,
                "created_at": _when(record.created_at),
                "updated_at": _when(record.updated_at),
            }
            for record in records
        ]
    }
