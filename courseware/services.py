"""Storing an uploaded package: validated completely before anything is written, unpacked
once per sha256 (the same file uploaded twice is the same ContentPackage)."""

import hashlib
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from courseware import storage
from courseware.models.packages import ContentPackage
from courseware.parsing import Limits, PackageError, inspect_archive, open_archive

CHUNK = 1024 * 1024


def limits():
    return Limits(
        max_files=settings.COURSEWARE_MAX_FILES,
        max_bytes=settings.COURSEWARE_MAX_UNPACKED_BYTES,
        max_ratio=settings.COURSEWARE_MAX_RATIO,
    )


def _chunks(source):
    if hasattr(source, "chunks"):
        source.seek(0)
        yield from source.chunks(CHUNK)
        return
    with open(source, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def _copy_incoming(source):
    """The upload copied into a temporary file beside the store: (path, sha256, size)."""
    digest, size = hashlib.sha256(), 0
    with tempfile.NamedTemporaryFile(dir=storage.incoming_dir(), delete=False) as handle:
        for chunk in _chunks(source):
            size += len(chunk)
            if size > settings.COURSEWARE_MAX_UPLOAD_BYTES:
                handle.close()
                os.unlink(handle.name)
                raise PackageError(
                    _("The file is larger than %(limit)d MB.")
                    % {"limit": settings.COURSEWARE_MAX_UPLOAD_BYTES // (1024 * 1024)}
                )
            digest.update(chunk)
            handle.write(chunk)
    return Path(handle.name), digest.hexdigest(), size


def _unpack(archive_file, members, target):
    work = Path(tempfile.mkdtemp(dir=storage.incoming_dir()))
    try:
        with open(archive_file, "rb") as handle, open_archive(handle) as archive:
            for name, relative in members:
                destination = work / relative
                destination.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(name) as source, open(destination, "xb") as out:
                    shutil.copyfileobj(source, out, CHUNK)
        if target.exists():  # unpacked before (a row deleted, or a concurrent upload)
            shutil.rmtree(work)
        else:
            os.replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def _name_of(source):
    return Path(getattr(source, "name", None) or str(source)).name[:255]


def store_package(uploaded_file_or_path, *, user=None):
    """The ContentPackage of an uploaded file (a Django UploadedFile, or a path).

    Raises ValidationError naming the problem, with no row written and no file left behind,
    when the file is not an acceptable SCORM or H5P package.
    """
    incoming = None
    try:
        incoming, sha256, size = _copy_incoming(uploaded_file_or_path)
        existing = ContentPackage.objects.filter(sha256=sha256).first()
        with open(incoming, "rb") as handle:
            facts = inspect_archive(handle, limits(), size)
        if existing is not None and storage.package_dir(sha256).is_dir():
            return existing
        _unpack(incoming, facts.members, storage.package_dir(sha256))
        os.replace(incoming, storage.archive_path(sha256))
        incoming = None
    except PackageError as error:
        raise ValidationError(str(error), code="invalid_package") from None
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError):
        # A member that cannot be decompressed (an unknown method, a bad CRC).
        raise ValidationError(
            _("The archive is damaged: a file inside it cannot be unpacked."),
            code="invalid_package",
        ) from None
    finally:
        if incoming is not None and incoming.exists():
            incoming.unlink()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return ContentPackage.objects.create(
                kind=facts.kind,
                sha256=sha256,
                original_name=_name_of(uploaded_file_or_path),
                size=size,
                file_count=facts.file_count,
                manifest=facts.manifest,
                uploaded_by=user if user is not None and user.is_authenticated else None,
            )
    except IntegrityError:  # the same file stored by a concurrent upload
        return ContentPackage.objects.get(sha256=sha256)
