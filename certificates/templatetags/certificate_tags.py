from django import template

from certificates.models import Certificate

register = template.Library()


@register.inclusion_tag("certificates/includes/dashboard_section.html")
def my_certificates(user):
    """The learner's certificates, newest first, for the dashboard (one query)."""
    return {"certificates": list(Certificate.objects.filter(user=user).current())}
