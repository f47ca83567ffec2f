from datetime import timedelta

from django import template
from django.utils import timezone

from certificates.models import Certificate
from courses.models import Enrolment

register = template.Library()


@register.inclusion_tag("certificates/includes/dashboard_section.html")
def my_certificates(user):
    """The learner's certificates, newest first, for the dashboard, and whether one is still
    being issued by the task worker (two queries). Only a completion of the last hour counts
    as being prepared: an older one without a certificate (a course that began awarding them
    later, a rendering that failed) is for `manage.py issue_certificates`, not a promise."""
    recently = timezone.now() - timedelta(hours=1)
    return {
        "certificates": list(Certificate.objects.filter(user=user).current()),
        "preparing": Enrolment.objects.filter(
            user=user, completed_at__gte=recently, course__certificate=True, certificates=None
        ).exists(),
    }
