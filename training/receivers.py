from django.dispatch import receiver

from accounts.roles import work_roles
from courses.signals import dashboard_sections
from training import assignments

ATTENTION = 11  # after a teacher's classes, before the learner's own news


@receiver(dashboard_sections)
def staff_assignments_on_dashboard(sender, user, now, **kwargs):
    # Staff training reaches members of an organisation only (see audience_members).
    if not work_roles(user).member:
        return None
    items = assignments.for_learner(user, now)
    if not items:
        return None
    return {"template": "training/includes/dashboard_assignments.html", "items": items}


@receiver(dashboard_sections)
def manager_attention_on_dashboard(sender, user, now, **kwargs):
    if not work_roles(user).manager:
        return None
    panel = assignments.manager_attention(user, now)
    if panel is None:
        return None
    return {
        "template": "training/includes/dashboard_attention.html",
        "order": ATTENTION,
        **panel,
    }
