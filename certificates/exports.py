"""ZIPs of many certificates, built by a background task so a large selection never holds a
request (or memory) for long: PDFs are streamed one by one into a temporary file."""

import logging
import tempfile
import zipfile

from django.core.files import File
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import get_valid_filename
from django_tasks import task

from accounts.models import Membership
from certificates.models import Certificate, CertificateExport, ExportStatus

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 25


def selection(export):
    certificates = Certificate.objects.current().exclude(pdf="")
    if export.organisation_id:
        certificates = certificates.filter(
            Exists(
                Membership.objects.filter(
                    user=OuterRef("user"), organisation_id=export.organisation_id
                )
            )
        )
    if export.course_id:
        certificates = certificates.filter(course_id=export.course_id)
    if export.issued_from:
        certificates = certificates.filter(issued_at__date__gte=export.issued_from)
    if export.issued_to:
        certificates = certificates.filter(issued_at__date__lte=export.issued_to)
    return certificates.order_by("pk")


def start(user, organisation=None, course=None, issued_from=None, issued_to=None):
    export = CertificateExport.objects.create(
        requested_by=user,
        organisation=organisation,
        course=course,
        issued_from=issued_from,
        issued_to=issued_to,
    )
    transaction.on_commit(lambda: build_export.enqueue(export.pk))
    return export


@task()
def build_export(export_id):
    export = CertificateExport.objects.get(pk=export_id)
    certificates = selection(export)
    export.status = ExportStatus.RUNNING
    export.total = certificates.count()
    export.save(update_fields=["status", "total"])
    try:
        holders = set()
        with tempfile.TemporaryFile() as spool:
            with zipfile.ZipFile(spool, "w", zipfile.ZIP_STORED) as archive:
                for done, certificate in enumerate(certificates.iterator(), start=1):
                    holders.add(certificate.user_id)
                    with certificate.pdf.open("rb") as pdf:
                        name = get_valid_filename(
                            f"{certificate.number}-{certificate.holder_name}.pdf"
                        )
                        archive.writestr(name, pdf.read())
                    if done % PROGRESS_EVERY == 0:
                        CertificateExport.objects.filter(pk=export.pk).update(done=done)
            spool.seek(0)
            # Recorded before the file exists, so a ZIP is never stored without its holders.
            export.holders.set(holders - {None})
            export.file.save(f"certificates-{export.pk}.zip", File(spool), save=False)
    except Exception:
        # Whatever the storage raised (a full disk, a bucket refusing access), the person
        # waiting must see that it failed, not a ZIP "running" forever.
        logger.exception("certificate export %s failed", export.pk)
        export.status = ExportStatus.FAILED
    else:
        export.status = ExportStatus.DONE
        export.done = export.total
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "done", "file", "finished_at"])


def forget_holder(user):
    """``user``'s account is going: delete every ZIP that holds one of their certificates,
    and the ZIPs they requested (which name the people of their organisation), file and
    record. Exports built before holders were recorded are read for the person's
    certificate numbers."""
    numbers = set(
        Certificate.objects.filter(user=user).exclude(number=None).values_list("number", flat=True)
    )
    doomed = set(
        CertificateExport.objects.filter(Q(holders=user) | Q(requested_by=user)).values_list(
            "pk", flat=True
        )
    )
    unrecorded = (
        CertificateExport.objects.filter(holders=None).exclude(file="").exclude(pk__in=doomed)
    )
    if numbers:
        for export in unrecorded.iterator():
            if _names_any(export, numbers):
                doomed.add(export.pk)
    for export in CertificateExport.objects.filter(pk__in=doomed):
        if export.file:
            export.file.delete(save=False)
        export.delete()


def _names_any(export, numbers):
    try:
        with export.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
            names = archive.namelist()
    except (OSError, zipfile.BadZipFile):
        # A ZIP that cannot be read cannot be checked: it goes rather than stay unchecked.
        return True
    return any(name.split("-", 1)[0] in numbers for name in names)
