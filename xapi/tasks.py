from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from xapi import forwarding
from xapi.models import Statement

GATE_KEY = "xapi-forward-queued"


@task()
def forward_statements():
    """Send the outbox's due statements; if some wait for a back-off, run again then."""
    outcome = forwarding.forward()
    if not outcome.failed:
        return {"sent": outcome.sent, "failed": 0}
    later = (
        Statement.objects.waiting().order_by("next_try_at").values_list("next_try_at", flat=True)
    )
    next_try = later.first()
    if next_try is not None and forward_statements.get_backend().supports_defer:
        forward_statements.using(run_after=max(next_try, timezone.now())).enqueue()
    return {"sent": outcome.sent, "failed": outcome.failed}


def schedule_forwarding():
    """After a transaction that wrote statements: one forwarding task for all the events of
    the next few seconds, not one per event (an exam's end is thousands at once).

    Only with a queue that can wait (the database queue): the immediate queue would send in
    the learner's request; there ``manage.py send_xapi`` from cron forwards."""
    if not forwarding.configured() or not forward_statements.get_backend().supports_defer:
        return
    delay = settings.XAPI_SEND_DELAY
    if cache.add(GATE_KEY, 1, timeout=delay):
        when = timezone.now() + timedelta(seconds=delay)
        forward_statements.using(run_after=when).enqueue()


def on_commit_schedule():
    transaction.on_commit(schedule_forwarding)
