from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from classrooms import notifications
from classrooms.models import Assignment, NotificationKind

# Opened notices only for what opened lately: the first run must not announce every
# assignment that has long been open.
OPENED_WITHIN = timedelta(days=7)


class Command(BaseCommand):
    help = (
        "Send the 'assignment opened' and 'due soon' notices that are due now and not yet "
        "sent. Safe to run as often as you like; needed when the task queue cannot hold a "
        "task until a given time (the immediate queue)."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        sent = 0
        open_now = Assignment.objects.filter(opens_at__lte=now, due_at__gt=now)
        for assignment_id, opens_at in open_now.values_list("pk", "opens_at"):
            kinds = [NotificationKind.DUE_SOON]
            if opens_at >= now - OPENED_WITHIN:
                kinds.append(NotificationKind.OPENED)
            for kind in kinds:
                sent += notifications.send_automatic(assignment_id, kind, now=now)
        self.stdout.write(f"{sent} e-mails sent.")
