"""The way of an uploaded spreadsheet, the same for a manager's staff or pupil import and a
teacher's import into a class: the file is kept as a batch, every preview checks it (nothing
is written), and confirming applies it once, all or nothing. The file is read once per
upload (accounts/tables.py keeps the parsed table on the batch); once applied, the file and
its table are dropped and only the fact that it was applied remains."""

from django.utils import timezone

from accounts.models import ImportBatch
from accounts.tables import batch_table


def store_upload(organisation, kind, user, upload):
    """Keep an uploaded file as a batch of ``organisation``, waiting for its preview."""
    return ImportBatch.objects.create(
        organisation=organisation,
        kind=kind,
        uploaded_by=user,
        filename=upload.name,
        content=upload.read(),
    )


def check_batch(batch, importer):
    """The report of what applying the batch with ``importer`` would do; writes nothing."""
    return importer.check_table(batch_table(batch))


def apply_batch(batch, importer):
    """Apply the batch with ``importer``: (report, created), ``created`` None when the file
    has errors and nothing was written. Once applied, the batch keeps no file and no table."""
    report, created = importer.apply_table(batch_table(batch))
    if created is not None:
        batch.applied_at = timezone.now()
        batch.content = b""
        batch.table = None
        batch.save(update_fields=["applied_at", "content", "table"])
    return report, created
