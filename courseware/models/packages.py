"""The uploaded packages and each learner's run-time record of a unit.

A package is immutable: the same file uploaded twice is the same row (its sha256), unpacked
once into private storage (courseware/storage.py). A record keeps what the content reported
(CMI data, suspend data, score) and is versioned like quiz responses, so a stale tab cannot
overwrite a newer commit.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PackageKind(models.TextChoices):
    SCORM_12 = "scorm12", _("SCORM 1.2")
    SCORM_2004 = "scorm2004", _("SCORM 2004")
    H5P = "h5p", _("H5P")


class Completion(models.TextChoices):
    NOT_ATTEMPTED = "not_attempted", _("Not attempted")
    INCOMPLETE = "incomplete", _("Incomplete")
    COMPLETED = "completed", _("Completed")


class Success(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class ContentPackage(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=PackageKind.choices)
    sha256 = models.CharField(max_length=64, unique=True)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    file_count = models.PositiveIntegerField(_("files"))
    # Parsed facts (courseware/parsing.py): SCORM version, title and SCOs, or H5P's libraries.
    manifest = models.JSONField(default=dict)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("content package")
        verbose_name_plural = _("content packages")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=PackageKind.values), name="content_package_kind"
            ),
        ]

    def __str__(self):
        return f"{self.manifest.get('title') or self.original_name} ({self.get_kind_display()})"

    @property
    def title(self):
        return self.manifest.get("title") or self.original_name

    @property
    def scos(self):
        return self.manifest.get("scos", [])


class PackageRecord(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="package_records"
    )
    unit = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # The package the record was made against (a unit's package may be replaced later).
    package = models.ForeignKey(ContentPackage, on_delete=models.PROTECT, related_name="records")
    # SCORM: {sco id: the CMI data as the run-time renders it}; H5P: {"state": str | None}.
    cmi = models.JSONField(default=dict)
    completion = models.CharField(
        max_length=20, choices=Completion.choices, default=Completion.NOT_ATTEMPTED
    )
    success = models.CharField(max_length=10, choices=Success.choices, default=Success.UNKNOWN)
    score = models.FloatField(null=True, blank=True)
    location = models.CharField(max_length=1000, blank=True)
    suspend_data = models.TextField(blank=True)
    total_seconds = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0)
    last_sco = models.CharField(max_length=255, blank=True)
    version = models.PositiveIntegerField(default=0)
    last_commit = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("package record")
        verbose_name_plural = _("package records")
        constraints = [
            models.UniqueConstraint(fields=["unit", "user"], name="package_record_once"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=1),
                name="package_record_score_scaled",
            ),
            models.CheckConstraint(
                condition=models.Q(completion__in=Completion.values),
                name="package_record_completion",
            ),
            models.CheckConstraint(
                condition=models.Q(success__in=Success.values), name="package_record_success"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.unit_id}"
