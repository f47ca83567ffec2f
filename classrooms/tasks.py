"""Assignment notices, sent by the task worker (see classrooms/notifications.py)."""

from datetime import datetime

from django_tasks import task

from classrooms import notifications
from classrooms.models import Notification, NotificationKind


@task()
def send_assignment_notices(assignment_id, kind):
    """The automatic notice of ``kind`` for one assignment, to whom it still applies."""
    return notifications.send_automatic(assignment_id, NotificationKind(kind))


@task()
def email_reminders(assignment_id, since):
    """E-mail the reminders recorded for the assignment from ``since`` (ISO) on."""
    return notifications.email_pending(
        Notification.objects.filter(
            assignment_id=assignment_id,
            kind=NotificationKind.REMINDER,
            created_at__gte=datetime.fromisoformat(since),
        )
    )
