from django.dispatch import receiver

from courses.signals import dashboard_sections
from training import assignments


@receiver(dashboard_sections)
def staff_assignments_on_dashboard(sender, user, now, **kwargs):
    items = assignments.for_learner(user, now)
    if not items:
        return None
    return {"template": "training/includes/dashboard_assignments.html", "items": items}
