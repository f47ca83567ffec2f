from django.core.management.base import BaseCommand
from django.utils import timezone

from lti import grades
from lti.models import PassbackState, ScorePassback


class Command(BaseCommand):
    help = (
        "Sends the grade passbacks that are due (waiting, past their back-off). The task "
        "worker does this by itself with the database queue; run this from cron otherwise."
    )

    def handle(self, *args, **options):
        due = ScorePassback.objects.due(timezone.now()).order_by("next_try_at")
        outcome = {state: 0 for state in PassbackState.values}
        for pk in due.values_list("pk", flat=True):
            state = grades.send(pk)
            if state:
                outcome[state] += 1
        self.stdout.write(
            "sent {sent}, still waiting {waiting}, refused {refused}".format(**outcome)
        )
