"""Telling learners about their assignments: when one opens, three days before it is due,
and when a teacher or manager sends a reminder.

Automatic notices are worked out when they are sent, never when they are scheduled: the
assignment may have been withdrawn, its dates changed, or the learner may be done already.
Each automatic notice reaches a learner once (a unique constraint); an e-mail goes out once
per notification, to learners who have an address.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy, ngettext
from django_tasks import task

from classrooms import progress
from classrooms.models import (
    Assignment,
    ClassPupil,
    LearnerStatus,
    Notification,
    NotificationKind,
)
from courses.models import CoursePage, QuizPage
from serving.sitestate import with_shared_pages
from serving.statements import CompiledQuery

DUE_SOON_BEFORE = timedelta(days=3)
REMINDER_INTERVAL = timedelta(hours=1)
DONE = (LearnerStatus.COMPLETED, LearnerStatus.PASSED)
INBOX_SIZE = 20


class ReminderError(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def not_done(assignment, now=None):
    """Ids of the learners the assignment reaches who have not completed it."""
    pupils = []
    if assignment.classroom_id:
        pupils = list(
            ClassPupil.objects.filter(classroom_id=assignment.classroom_id).values_list(
                "user_id", flat=True
            )
        )
    reached = progress.audiences([assignment], pupils)
    cells = progress.statuses([assignment], reached[assignment.pk], reached=reached, now=now)
    return sorted(uid for (uid, _a), cell in cells.items() if cell.status not in DONE)


def applies(assignment, kind, now):
    """Whether an automatic notice of ``kind`` is due for the assignment at ``now``."""
    if assignment.classroom_id and assignment.classroom.archived_at is not None:
        return False
    if not assignment.opens_at <= now < assignment.due_at:
        return False
    return kind == NotificationKind.OPENED or now >= assignment.due_at - DUE_SOON_BEFORE


def notice_time(kind, opens_at, due_at):
    """When the automatic notice of ``kind`` becomes due."""
    if kind == NotificationKind.OPENED:
        return opens_at
    return max(opens_at, due_at - DUE_SOON_BEFORE)


def schedule(assignment):
    """Queue the assignment's automatic notices once the transaction that made it commits.

    With a queue that can hold a task until a given time, each notice runs when it is due.
    The immediate queue cannot wait: notices due now run at once, later ones are left to
    ``manage.py send_assignment_notices`` (run it every few minutes from cron).
    """
    pk, opens_at, due_at = assignment.pk, assignment.opens_at, assignment.due_at
    transaction.on_commit(lambda: _enqueue(pk, opens_at, due_at))


def _enqueue(pk, opens_at, due_at):
    now = timezone.now()
    deferrable = send_assignment_notices.get_backend().supports_defer
    for kind in (NotificationKind.OPENED, NotificationKind.DUE_SOON):
        when = notice_time(kind, opens_at, due_at)
        if when <= now:
            send_assignment_notices.enqueue(pk, kind)
        elif deferrable:
            send_assignment_notices.using(run_after=when).enqueue(pk, kind)


def send_automatic(assignment_id, kind, now=None):
    """Record and e-mail the notice of ``kind`` to everyone it still applies to; how many."""
    now = now or timezone.now()
    assignment = (
        Assignment.objects.select_related("course", "quiz", "classroom")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None or not applies(assignment, kind, now):
        return 0
    with transaction.atomic():
        ids = not_done(assignment, now)
        Notification.objects.bulk_create(
            [Notification(recipient_id=uid, assignment=assignment, kind=kind) for uid in ids],
            ignore_conflicts=True,
        )
    return email_pending(Notification.objects.filter(assignment=assignment, kind=kind))


def send_reminder(assignment, sender, now=None):
    """A reminder from the teacher or manager to those not done; how many it reached.

    Raises ReminderError("not_open") before the assignment opens, ReminderError("too_soon")
    within an hour of the last reminder for it, and ReminderError("nobody") when everyone is
    done; then nothing is recorded.
    """
    now = now or timezone.now()
    if assignment.opens_at > now:
        raise ReminderError("not_open")
    with transaction.atomic():
        # The row lock makes two presses of the button in the same second count as one.
        Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
        if last_reminder(assignment, now) is not None:
            raise ReminderError("too_soon")
        ids = not_done(assignment, now)
        if not ids:
            raise ReminderError("nobody")
        created = Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=uid,
                    assignment=assignment,
                    kind=NotificationKind.REMINDER,
                    sent_by=sender,
                )
                for uid in ids
            ]
        )
        transaction.on_commit(lambda: _enqueue_reminder_emails(assignment.pk, now))
    return len(created)


def _enqueue_reminder_emails(assignment_id, since):
    email_reminders.enqueue(assignment_id, since.isoformat())


REMINDER_ERRORS = {
    "unconfirmed": gettext_lazy("Confirm the reminder with its button first."),
    "not_open": gettext_lazy("This assignment is not open yet: there is nothing to remind of."),
    "too_soon": gettext_lazy(
        "A reminder for this assignment was sent less than an hour ago. Try again later."
    ),
    "nobody": gettext_lazy("Everyone has completed this assignment: no reminder was sent."),
}


def remind(assignment, sender, confirm):
    """``send_reminder`` for a page once ``confirm`` is "1": (whether it was sent, what to
    tell the sender)."""
    if confirm != "1":
        return False, str(REMINDER_ERRORS["unconfirmed"])
    try:
        count = send_reminder(assignment, sender)
    except ReminderError as exc:
        return False, str(REMINDER_ERRORS[exc.code])
    message = ngettext(
        "A reminder was sent to the %(count)s learner who has not completed it.",
        "A reminder was sent to %(count)s learners who have not completed it.",
        count,
    )
    return True, message % {"count": count}


def last_reminder(assignment, now=None):
    """The latest reminder sent for the assignment within the last hour, or None."""
    now = now or timezone.now()
    return (
        Notification.objects.filter(
            assignment=assignment,
            kind=NotificationKind.REMINDER,
            created_at__gt=now - REMINDER_INTERVAL,
        )
        .select_related("sent_by")
        .order_by("-created_at")
        .first()
    )


def email_pending(notifications):
    """E-mail each of ``notifications`` not yet e-mailed whose learner has an address.

    Each is claimed with a conditional update first, so two workers never send the same one.
    """
    pending = (
        notifications.filter(emailed=False)
        .exclude(recipient__email="")
        .select_related("recipient", "assignment__course", "assignment__quiz", "sent_by")
    )
    sent = 0
    # No language is stored per learner: the site's own language (zh-hans) it is.
    with translation.override(settings.LANGUAGE_CODE):
        for notification in pending:
            if not Notification.objects.filter(pk=notification.pk, emailed=False).update(
                emailed=True
            ):
                continue
            context = {
                "notification": notification,
                "assignment": notification.assignment,
                "user": notification.recipient,
                "site_name": settings.WAGTAIL_SITE_NAME,
                "dashboard_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/dashboard/",
            }
            subject = render_to_string("classrooms/email/notice_subject.txt", context)
            body = render_to_string("classrooms/email/notice_message.txt", context)
            send_mail(
                " ".join(subject.split()),
                body,
                settings.DEFAULT_FROM_EMAIL,
                [notification.recipient.email],
            )
            sent += 1
    return sent


# Asked on every dashboard; most learners have no notification.
_LATEST = CompiledQuery(
    lambda user: Notification.objects.for_user(user).order_by("-created_at", "-pk")[:INBOX_SIZE],
    user=(Notification, "recipient"),
)


def inbox(user):
    """The learner's latest notifications, newest first, with what they point at."""
    ids = _LATEST.ids(user=user.pk)
    if not ids:
        return []
    return with_shared_pages(
        Notification.objects.filter(pk__in=ids)
        .select_related("assignment__classroom")
        .order_by("-created_at", "-pk"),
        assignment__course=CoursePage,
        assignment__quiz=QuizPage,
    )


@transaction.atomic
def mark_all_read(user, now=None):
    return Notification.objects.for_user(user).unread().update(read_at=now or timezone.now())


# The task worker's entry points, beside the logic they run (a module of their own would
# import this one and be imported by it).


@task()
def send_assignment_notices(assignment_id, kind):
    """The automatic notice of ``kind`` for one assignment, to whom it still applies."""
    return send_automatic(assignment_id, NotificationKind(kind))


@task()
def email_reminders(assignment_id, since):
    """E-mail the reminders recorded for the assignment from ``since`` (ISO) on."""
    return email_pending(
        Notification.objects.filter(
            assignment_id=assignment_id,
            kind=NotificationKind.REMINDER,
            created_at__gte=datetime.fromisoformat(since),
        )
    )
