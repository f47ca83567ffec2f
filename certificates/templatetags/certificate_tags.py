from datetime import timedelta

from django import template
from django.utils import timezone

from certificates.models import Certificate
from serving.statements import CompiledQuery

register = template.Library()

# Asked on every dashboard visit in the same shape (serving/statements.py).
_MINE = CompiledQuery(
    lambda user: Certificate.objects.filter(user=user).current(), user=(Certificate, "user")
)


@register.inclusion_tag("certificates/includes/dashboard_section.html")
def my_certificates(user, completed):
    """The learner's certificates, newest first, for the dashboard (one query), and whether
    one is still being issued by the task worker, told from the dashboard's ``completed``
    enrolments (their courses already at hand) without a query of its own. Only a completion
    of the last hour counts as being prepared: an older one without a certificate (a course
    that began awarding them later, a rendering that failed) is for
    `manage.py issue_certificates`, not a promise."""
    certificates = _MINE.objects(user=user.pk)
    recently = timezone.now() - timedelta(hours=1)
    issued = {certificate.enrolment_id for certificate in certificates}
    return {
        "certificates": certificates,
        "preparing": any(
            enrolment.completed_at >= recently
            and enrolment.course.certificate
            and enrolment.pk not in issued
            for enrolment in completed
        ),
    }
