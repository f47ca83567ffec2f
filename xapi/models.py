"""The outbox: every learning event's xAPI statement, written in the event's own transaction.

The table is the embedded store (nothing else is needed to run) and the forwarder's queue: a
statement's id is fixed when it is written, so sending it again after a lost reply is a
duplicate the learning record store recognises, never a second record.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StatementQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(sent_at__isnull=True)

    def sent(self):
        return self.filter(sent_at__isnull=False)

    def failing(self):
        """Waiting statements that at least one try failed to deliver."""
        return self.waiting().filter(attempts__gt=0)

    def due(self, now=None):
        """What the forwarder sends next: waiting and past any back-off, oldest first."""
        return self.waiting().filter(next_try_at__lte=now or timezone.now()).order_by("created_at")

    def of_person(self, user):
        return self.filter(user=user)


class Statement(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Whose statement it is, for the data export and deletion; the statement itself names
    # the person only by an opaque account (xapi/identity.py). Sent statements outlive the
    # account without this link: their copy is at the learning record store.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="xapi_statements",
    )
    verb = models.CharField(_("verb"), max_length=40)
    data = models.JSONField(_("statement"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("failed tries"), default=0)
    next_try_at = models.DateTimeField(_("next try"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("xAPI statement")
        verbose_name_plural = _("xAPI statements")
        indexes = [
            # The forwarder's query: waiting rows by next try, oldest first; sent rows (the
            # great majority) are not in this index at all.
            models.Index(
                fields=["next_try_at", "created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="xapi_statement_waiting",
            ),
            models.Index(fields=["user", "created_at"], name="xapi_statement_user"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sent_at__isnull=True)
                | models.Q(sent_at__gte=models.F("created_at")),
                name="xapi_statement_sent_after_written",
            ),
        ]

    def __str__(self):
        return f"{self.verb} {self.id}"
