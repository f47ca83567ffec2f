import logging

from django.db import transaction
from django.dispatch import receiver

from accounts.signals import account_deleting, personal_data_requested
from certificates import services
from certificates.models import Certificate
from courses.signals import course_completed

logger = logging.getLogger(__name__)


@receiver(course_completed)
def issue_on_completion(sender, enrolment, **kwargs):
    # A certificate that cannot be rendered must not undo the completion it records: the
    # failure is logged and `manage.py issue_certificates` issues what is missing.
    try:
        with transaction.atomic():
            services.issue_for(enrolment)
    except Exception:
        logger.exception("No certificate issued for enrolment %s", enrolment.pk)


@receiver(account_deleting)
def revoke_on_deletion(sender, user, **kwargs):
    services.anonymise_for(user)


@receiver(personal_data_requested)
def certificates_section(sender, user, **kwargs):
    return {
        "certificates": [
            {
                "number": c.number,
                "course": c.course_title,
                "hours": str(c.hours),
                "completed_on": c.completed_on.isoformat(),
                "status": c.state,
                "verification_code": c.code,
            }
            for c in Certificate.objects.filter(user=user)
        ]
    }
