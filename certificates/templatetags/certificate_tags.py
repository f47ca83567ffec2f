from django import template

from certificates.models import Certificate
from courses.models import Enrolment

register = template.Library()


@register.inclusion_tag("certificates/includes/dashboard_section.html")
def my_certificates(user):
    """The learner's certificates, newest first, for the dashboard, and whether one is still
    being issued by the task worker (two queries)."""
    return {
        "certificates": list(Certificate.objects.filter(user=user).current()),
        "preparing": Enrolment.objects.filter(
            user=user, completed_at__isnull=False, course__certificate=True, certificates=None
        ).exists(),
    }
