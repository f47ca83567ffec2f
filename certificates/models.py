import secrets
import unicodedata
from base64 import b32encode

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, OrganisationKind, Role

CODE_LENGTH = 32  # 160 random bits in base32


def new_code():
    return b32encode(secrets.token_bytes(20)).decode("ascii")


def certificate_storage():
    return storages["certificates"]


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    REPLACED = "replaced", _("Replaced")


# Not a status of its own: a valid certificate past its expiry date reads as expired.
EXPIRED = _("Expired")


class CertificateQuerySet(models.QuerySet):
    def current(self):
        return self.exclude(status=CertificateStatus.REPLACED)

    def visible_to(self, user):
        """Certificates the user may download: their own, their staff's or pupils', or all for
        administrators."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_perm("certificates.change_certificate"):
            return self
        looked_after = Membership.objects.filter(user=OuterRef("user")).filter(
            Q(
                organisation__memberships__user=user,
                organisation__memberships__role=Role.MANAGER,
            )
            | Q(
                organisation__kind=OrganisationKind.SCHOOL,
                organisation__memberships__user=user,
                organisation__memberships__role=Role.TEACHER,
            )
        )
        return self.filter(Q(user=user) | Exists(looked_after))


class Certificate(models.Model):
    """A certificate as issued: what was printed is kept here, so the record still says what
    the PDF said after the course or the person's name changes."""

    code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_code, editable=False)
    number = models.CharField(_("certificate number"), max_length=20, unique=True, null=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment", null=True, on_delete=models.SET_NULL, related_name="certificates"
    )
    course = models.ForeignKey(
        "courses.CoursePage", null=True, on_delete=models.SET_NULL, related_name="certificates"
    )
    holder_name = models.CharField(_("holder"), max_length=100, blank=True)
    course_title = models.CharField(_("course"), max_length=255)
    hours = models.DecimalField(_("training hours"), max_digits=5, decimal_places=1)
    completed_on = models.DateField(_("completed on"))
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    issuer_name = models.CharField(_("issuer"), max_length=120)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.CharField(_("reason"), max_length=300, blank=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replacement"
    )
    pdf = models.FileField(storage=certificate_storage, upload_to="%Y/", blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    credential = models.TextField(_("signed credential (JWT)"), blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            # One certificate in force per enrolment: a reissue first marks the old one
            # replaced, and a retried or racing issue meets this and takes the existing one.
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=~Q(status=CertificateStatus.REPLACED),
                name="certificate_once_per_enrolment",
            ),
            models.CheckConstraint(
                condition=~Q(status=CertificateStatus.REVOKED) | Q(revoked_at__isnull=False),
                name="certificate_revoked_has_date",
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="certificate_hours"),
        ]
        indexes = [models.Index(fields=["course", "issued_at"])]

    def __str__(self):
        return self.number or self.code

    @property
    def issued_on(self):
        """The day of issue in the site's time zone (the city's date, not UTC's)."""
        return timezone.localdate(self.issued_at)

    @property
    def is_expired(self):
        return self.expires_on is not None and self.expires_on < timezone.localdate()

    @property
    def state(self):
        """What the verification page says: valid, revoked, replaced or expired."""
        if self.status != CertificateStatus.VALID:
            return self.status
        return "expired" if self.is_expired else "valid"

    @property
    def state_label(self):
        """The state in words, for exports: a spreadsheet must not say ``valid`` to a reader
        of either language."""
        if self.state == "expired":
            return EXPIRED
        return CertificateStatus(self.state).label

    @property
    def masked_name(self):
        return mask_name(self.holder_name)

    def name_matches(self, typed):
        return bool(self.holder_name) and normalise_name(typed) == normalise_name(self.holder_name)


def normalise_name(name):
    folded = unicodedata.normalize("NFKC", name or "").casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "·•・.")


def mask_name(name):
    """张三丰 → 张*丰, 张三 → 张*: enough to recognise, not enough to learn a name."""
    chars = list(name or "")
    if len(chars) <= 1:
        return "*" if chars else ""
    if len(chars) == 2:
        return chars[0] + "*"
    return chars[0] + "*" * (len(chars) - 2) + chars[-1]


class EventAction(models.TextChoices):
    ISSUED = "issued", _("Issued")
    REVOKED = "revoked", _("Revoked")
    REISSUED = "reissued", _("Reissued after a correction")
    ANONYMISED = "anonymised", _("Holder's name erased (account deleted)")


class CertificateEvent(models.Model):
    """Who did what to a certificate, kept with the certificate for as long as it exists."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=EventAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("certificate event")

    def __str__(self):
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"


class SigningKey(models.Model):
    """Every public key that ever signed a credential, so credentials signed before a key
    rotation still verify against the published key set."""

    kid = models.CharField(max_length=64, unique=True)
    public_jwk = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.kid


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Building")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class CertificateExport(models.Model):
    """A ZIP of the certificates of a selection, built in the background."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificate_exports"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.CASCADE
    )
    course = models.ForeignKey(
        "courses.CoursePage", null=True, blank=True, on_delete=models.SET_NULL
    )
    issued_from = models.DateField(null=True, blank=True)
    issued_to = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(storage=certificate_storage, upload_to="exports/", blank=True)
    # Whose certificates the ZIP holds: when one of them deletes their account, the ZIP that
    # names them is deleted too (docs/privacy.md).
    holders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="certificate_exports_holding"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(issued_from__isnull=True)
                | Q(issued_to__isnull=True)
                | Q(issued_from__lte=models.F("issued_to")),
                name="certificate_export_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"certificates-{self.pk}.zip"

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0
