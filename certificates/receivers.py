from django.dispatch import receiver

from accounts.signals import account_deleting, personal_data_requested
from certificates import exports, services
from certificates.models import Certificate, CertificateExport
from certificates.tasks import issue_certificate
from courses.signals import course_completed


@receiver(course_completed)
def issue_on_completion(sender, enrolment, **kwargs):
    # Queued in the same transaction as the completion (the database queue is a table), so
    # the worker sees both or neither.
    if enrolment.course.certificate:
        issue_certificate.enqueue(enrolment.pk)


@receiver(account_deleting)
def revoke_on_deletion(sender, user, **kwargs):
    exports.forget_holder(user)
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
        ],
        # ZIPs of many certificates that hold one of theirs: who asked for it and when.
        "certificate_exports_including_me": [
            {
                "requested_by": e.requested_by.get_username(),
                "organisation": e.organisation.name if e.organisation_id else None,
                "created_at": e.created_at.isoformat(),
                "status": e.status,
            }
            for e in CertificateExport.objects.filter(holders=user)
            .select_related("requested_by", "organisation")
            .order_by("created_at", "pk")
        ],
    }
