"""The task worker's side of grade passback (lti.grades): one task per score.

With the database queue (production), a failed try queues the same task again for when its
back-off ends, so `manage.py db_worker` retries without anything else running. The
immediate queue cannot wait: there a failed score stays waiting for `manage.py
send_lti_scores` (cron), which sends whatever is due.
"""

from django.db import transaction
from django_tasks import task

from lti import grades
from lti.models import PassbackState, ScorePassback


@task()
def send_score(passback_id):
    state = grades.send(passback_id)
    if state == PassbackState.WAITING:
        retry_later(passback_id)
    return state


def retry_later(passback_id):
    if not send_score.get_backend().supports_defer:
        return
    when = ScorePassback.objects.filter(pk=passback_id).values_list("next_try_at", flat=True)
    if when:
        send_score.using(run_after=when[0]).enqueue(passback_id)


def queue_after_commit(passbacks):
    ids = [passback.pk for passback in passbacks]
    if ids:
        transaction.on_commit(lambda: [send_score.enqueue(pk) for pk in ids])
