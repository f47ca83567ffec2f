"""What the tool keeps beside django-lti's registrations, deployments, keys and users.

django-lti (``lti_tool``) holds the platforms' registrations and deployments, our signing
keys and the platform users seen in launches. This app adds what LTI's security needs and
django-lti leaves out: each id_token nonce recorded once, and the mark on the accounts
that launches create.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UsedNonce(models.Model):
    """A nonce of an accepted id_token. PyLTI1p3 only checks that the nonce was issued by
    our login step and keeps it, so the same token and state would be accepted again; the
    unique constraint makes the second use fail in the database, whatever the race."""

    issuer = models.CharField(max_length=255)
    nonce = models.CharField(max_length=255)
    used_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The token's own expiry: after it the token is refused as expired, so the row that
    # stops its replay can go (manage.py prune_lti_nonces).
    expires_at = models.DateTimeField(null=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "nonce"], name="lti_nonce_used_once")
        ]

    def __str__(self):
        return f"{self.issuer} {self.nonce}"


class PlatformAccount(models.Model):
    """An account created by a launch: it belongs to one platform's person (the
    registration and the ``sub`` claim of django-lti's LtiUser), has no usable password and
    is never staff. Its presence is the mark that the account came from a platform."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_account"
    )
    lti_user = models.OneToOneField(
        "lti_tool.LtiUser", on_delete=models.CASCADE, related_name="platform_account"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("platform account")
        verbose_name_plural = _("platform accounts")

    def __str__(self):
        return f"{self.lti_user.registration}: {self.lti_user.sub}"


class GradeLink(models.Model):
    """Where a launched person's score for one of our courses or quizzes goes back: the
    Assignment and Grade Services claim of their latest launch from one resource link. A
    launch naming only the platform's line-items address gets its line item created at the
    first passback, and its address kept here so it is created once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_grade_links"
    )
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    registration = models.ForeignKey(
        "lti_tool.LtiRegistration", on_delete=models.CASCADE, related_name="+"
    )
    resource_link_id = models.CharField(max_length=255)
    lineitem = models.URLField(_("line item"), max_length=1024, blank=True)
    lineitems = models.URLField(_("line items"), max_length=1024, blank=True)
    scopes = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("grade link")
        verbose_name_plural = _("grade links")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "registration", "resource_link_id"], name="lti_grade_link_once"
            )
        ]

    def __str__(self):
        return f"{self.registration_id} {self.resource_link_id} {self.user_id}"


class PassbackState(models.TextChoices):
    WAITING = "waiting", _("waiting")
    SENT = "sent", _("sent")
    REFUSED = "refused", _("refused by the platform")


class ScorePassbackQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(state=PassbackState.WAITING, next_try_at__lte=now)


class ScorePassback(models.Model):
    """One score for one event (a course completed, a quiz attempt graded) going to one
    line item. The unique event per link is what keeps a score from being sent twice; the
    row is the outbox, so a platform that is down loses nothing: the score waits here with
    its last error and is tried again later."""

    link = models.ForeignKey(GradeLink, on_delete=models.CASCADE, related_name="passbacks")
    event = models.CharField(_("event"), max_length=60)
    score_given = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    score_maximum = models.DecimalField(_("out of"), max_digits=6, decimal_places=2)
    happened_at = models.DateTimeField(_("happened"))
    state = models.CharField(
        _("state"), max_length=10, choices=PassbackState.choices, default=PassbackState.WAITING
    )
    attempts = models.PositiveIntegerField(_("tries"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_try_at = models.DateTimeField(_("next try"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ScorePassbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("grade passback")
        verbose_name_plural = _("grade passbacks")
        constraints = [
            models.UniqueConstraint(fields=["link", "event"], name="lti_score_once_per_event"),
            models.CheckConstraint(
                condition=models.Q(score_given__gte=0)
                & models.Q(score_given__lte=models.F("score_maximum")),
                name="lti_score_within_maximum",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="sent") | models.Q(sent_at__isnull=False),
                name="lti_sent_score_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_try_at"],
                condition=models.Q(state="waiting"),
                name="lti_passback_waiting",
            )
        ]

    def __str__(self):
        return f"{self.event} → {self.link}"


class RosterSource(models.Model):
    """A platform course's membership list (Names and Role Provisioning), as an instructor's
    launch named it."""

    registration = models.ForeignKey(
        "lti_tool.LtiRegistration", on_delete=models.CASCADE, related_name="+"
    )
    context_id = models.CharField(max_length=255)
    title = models.CharField(max_length=255, blank=True)
    memberships_url = models.URLField(max_length=1024)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "context_id"], name="lti_roster_source_once"
            )
        ]

    def __str__(self):
        return self.title or self.context_id


class RosterPull(models.Model):
    """A class filled from a platform's roster: when, and how many pupils the last pull
    added."""

    classroom = models.ForeignKey(
        "classrooms.Classroom", on_delete=models.CASCADE, related_name="lti_roster_pulls"
    )
    source = models.ForeignKey(RosterSource, on_delete=models.CASCADE, related_name="pulls")
    pulled_at = models.DateTimeField(auto_now=True)
    added = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["classroom", "source"], name="lti_roster_pull_once")
        ]

    def __str__(self):
        return f"{self.source} → {self.classroom_id}"
