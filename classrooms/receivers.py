from django.dispatch import receiver

from accounts.roles import work_roles
from accounts.signals import account_deleting, personal_data_requested
from classrooms import attention, notifications, progress, slips
from classrooms.models import Assignment, ClassPupil, Classroom
from courses.signals import dashboard_sections
from serving.statements import CompiledQuery

# Where a section stands on the dashboard: what needs doing first, then news, then work.
ATTENTION, NEWS = 10, 20


# Asked on every dashboard; most learners sit in no class.
_ATTENDED = CompiledQuery(
    lambda user: Classroom.objects.attended_by(user).active(), user=(ClassPupil, "user")
)


@receiver(dashboard_sections)
def assignments_on_dashboard(sender, user, now, **kwargs):
    classes = _ATTENDED.objects(user=user.pk)
    if not classes:
        return None
    return {
        "template": "classrooms/includes/dashboard_assignments.html",
        "classes": classes,
        "items": progress.pupil_assignments(user, now=now),
        "now": now,
    }


@receiver(dashboard_sections)
def teacher_attention_on_dashboard(sender, user, now, **kwargs):
    # The cached roles spare a learner who teaches nowhere the class queries.
    if not work_roles(user).teacher:
        return None
    return {
        "template": "classrooms/includes/dashboard_attention.html",
        "order": ATTENTION,
        "classes": attention.teacher_attention(user, now),
    }


@receiver(dashboard_sections)
def notifications_on_dashboard(sender, user, now, **kwargs):
    items = notifications.inbox(user)
    return {
        "template": "classrooms/includes/dashboard_notifications.html",
        "order": NEWS,
        "items": items,
        "unread": sum(1 for n in items if n.read_at is None),
    }


@receiver(personal_data_requested)
def classes_in_export(sender, user, **kwargs):
    places = user.class_places.select_related("classroom__school").order_by("joined_at")
    work = (
        Assignment.objects.addressed_to(user)
        .select_related("course", "quiz", "organisation", "classroom", "group")
        .order_by("due_at", "pk")
    )
    return {
        "classes": [
            {
                "class": place.classroom.name,
                "school": place.classroom.school.name,
                "school_year": place.classroom.school_year,
                "joined_at": place.joined_at.isoformat(),
            }
            for place in places
        ],
        "class_groups": [
            {"group": group.name, "class": group.classroom.name}
            for group in user.class_groups.select_related("classroom").order_by("pk")
        ],
        "classes_taught": [
            {"class": c.name, "school": c.school.name, "school_year": c.school_year}
            for c in user.classrooms_taught.select_related("school").order_by("pk")
        ],
        # Work set for this person: by their class, a group of it, by name, or by their
        # employer's training manager.
        "assignments": [
            {
                "title": a.title,
                "organisation": a.organisation.name,
                "class": a.classroom.name if a.classroom_id else None,
                "group": a.group.name if a.group_id else None,
                "addressed_to": a.audience,
                "opens_at": a.opens_at.isoformat(),
                "due_at": a.due_at.isoformat(),
            }
            for a in work
        ],
    }


@receiver(account_deleting)
def forget_login_slips(sender, user, **kwargs):
    slips.forget_person(user)


@receiver(personal_data_requested)
def notifications_in_export(sender, user, **kwargs):
    notices = user.notifications.select_related("assignment__course", "assignment__quiz")
    return {
        "notifications": [
            {
                "kind": n.kind,
                "assignment": n.assignment.title,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in notices.order_by("created_at", "pk")
        ],
        "calendar_address": hasattr(user, "calendar_feed"),
    }
