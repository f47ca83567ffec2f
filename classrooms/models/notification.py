"""What a learner is told about their assignments, and the secret address of their calendar.

Class work and staff training share one Assignment model, so a notification points at it
directly. The automatic kinds (opened, due soon) reach each learner once per assignment,
which the database enforces; a reminder from a teacher or manager may come again.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    OPENED = "opened", _("Assignment opened")
    DUE_SOON = "due_soon", _("Due soon")
    REMINDER = "reminder", _("Reminder")


AUTOMATIC_KINDS = (NotificationKind.OPENED, NotificationKind.DUE_SOON)


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=NotificationKind.choices)
    # A withdrawn assignment takes its notifications with it: they would point nowhere.
    assignment = models.ForeignKey(
        "classrooms.Assignment", on_delete=models.CASCADE, related_name="notifications"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who sent a reminder; empty for automatic notifications."),
    )
    emailed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(fields=["assignment", "kind", "-created_at"], name="notification_sent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "assignment", "kind"],
                condition=models.Q(kind__in=AUTOMATIC_KINDS),
                name="notification_automatic_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.assignment_id} → {self.recipient_id}"


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A learner's private iCalendar address. Only the token's hash is stored, so the address
    is shown once, when made; making a new one makes the old address stop working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"calendar of {self.user_id}"

    @staticmethod
    def new_token():
        return secrets.token_urlsafe(32)
