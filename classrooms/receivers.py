from django.dispatch import receiver

from accounts.signals import personal_data_requested
from classrooms.models import Classroom
from courses.signals import dashboard_sections


@receiver(dashboard_sections)
def assignments_on_dashboard(sender, user, now, **kwargs):
    from classrooms.pupil_views import pupil_assignments

    classes = list(Classroom.objects.attended_by(user).active())
    if not classes:
        return None
    return {
        "template": "classrooms/includes/dashboard_assignments.html",
        "classes": classes,
        "items": pupil_assignments(user, now=now),
        "now": now,
    }


@receiver(personal_data_requested)
def classes_in_export(sender, user, **kwargs):
    places = user.class_places.select_related("classroom__school").order_by("joined_at")
    return {
        "classes": [
            {
                "class": place.classroom.name,
                "school": place.classroom.school.name,
                "school_year": place.classroom.school_year,
                "joined_at": place.joined_at.isoformat(),
            }
            for place in places
        ]
    }
