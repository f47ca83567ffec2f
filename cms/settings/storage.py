"""Where media and certificate files live: local folders, or S3-compatible buckets.

STORAGE_BACKEND chooses (docs/storage.md); anything it cannot use stops the start.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_static_storage = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
S3_STORAGE = "storages.backends.s3.S3Storage"


def filesystem_storages(private_root):
    return {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": _static_storage,
        # Issued PDFs and ZIP exports: never under MEDIA_URL, only served through views that
        # check who is asking.
        "certificates": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(private_root / "certificates"), "base_url": None},
        },
    }


def s3_storages():
    """Media and certificates in S3-compatible buckets (AWS, MinIO, Ceph, Aliyun OSS...)."""
    bucket = os.environ.get("S3_BUCKET", "")
    if not bucket:
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs S3_BUCKET (the media bucket).")
    private_bucket = os.environ.get("S3_PRIVATE_BUCKET", "") or bucket
    media_prefix = os.environ.get("S3_MEDIA_PREFIX", "media").strip("/")
    private_prefix = os.environ.get("S3_CERTIFICATES_PREFIX", "certificates").strip("/")
    # A public media prefix must never contain the certificates, nor the other way round.
    if private_bucket == bucket and (
        not media_prefix
        or not private_prefix
        or f"{media_prefix}/".startswith(f"{private_prefix}/")
        or f"{private_prefix}/".startswith(f"{media_prefix}/")
    ):
        raise ImproperlyConfigured(
            "S3_MEDIA_PREFIX and S3_CERTIFICATES_PREFIX must be separate, non-empty folders "
            "when media and certificates share one bucket."
        )
    connection = {
        key: value
        for key, value in {
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL"),
            "region_name": os.environ.get("S3_REGION"),
            "access_key": os.environ.get("S3_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY"),
            "addressing_style": os.environ.get("S3_ADDRESSING_STYLE"),
        }.items()
        if value
    }
    connection["signature_version"] = "s3v4"  # v2 signing is gone from most regions and OSS
    custom_domain = os.environ.get("S3_CUSTOM_DOMAIN", "")
    media = {
        **connection,
        "bucket_name": bucket,
        "location": media_prefix,
        "file_overwrite": False,
        # Behind a public domain (CDN) links are plain and do not expire; without one they
        # are signed, so the bucket itself can stay private.
        "custom_domain": custom_domain or None,
        "querystring_auth": not custom_domain,
    }
    certificates = {
        **connection,
        "bucket_name": private_bucket,
        "location": private_prefix,
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 300,
        "file_overwrite": False,
        "custom_domain": None,
    }
    return {
        "default": {"BACKEND": S3_STORAGE, "OPTIONS": media},
        "staticfiles": _static_storage,
        "certificates": {"BACKEND": S3_STORAGE, "OPTIONS": certificates},
    }


STORAGE_BACKENDS = ("filesystem", "s3")


def storages_setting(private_root):
    backend = os.environ.get("STORAGE_BACKEND", "filesystem")
    if backend not in STORAGE_BACKENDS:
        raise ImproperlyConfigured(
            f"STORAGE_BACKEND must be one of {', '.join(STORAGE_BACKENDS)}, not {backend!r}."
        )
    return filesystem_storages(private_root) if backend == "filesystem" else s3_storages()
