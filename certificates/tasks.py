import logging

from django.db import transaction
from django_tasks import task

from certificates import services
from courses.models import Enrolment

logger = logging.getLogger(__name__)


@task()
def issue_certificate(enrolment_id):
    """Issue the certificate of a completed course (the PDF is rendered here, not in the
    learner's request: at the end of a final exam that would be a thousand at once)."""
    enrolment = Enrolment.objects.select_related("user", "course").filter(pk=enrolment_id).first()
    if enrolment is None:
        return None
    # A certificate that cannot be rendered must not undo the completion it records, also when
    # the queue runs this at once inside the completing request: the failure is logged and
    # `manage.py issue_certificates` issues what is missing.
    try:
        with transaction.atomic():
            certificate = services.issue_for(enrolment)
    except Exception:
        logger.exception("No certificate issued for enrolment %s", enrolment_id)
        return None
    return certificate.number if certificate else None
