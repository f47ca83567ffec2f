"""CSV and XLSX downloads that stream: rows are read from the database in chunks and written
as they come, so a 100,000-row export never holds all of them in memory."""

import csv
import tempfile

from django.db import transaction
from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook

from reports.models import ExportRecord

CHUNK = 2000


class _Echo:
    def write(self, value):
        return value


def csv_response(filename, header, rows):
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # Excel opens UTF-8 with a byte-order mark as UTF-8, not as GBK
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename, header, rows):
    """openpyxl's write-only mode keeps one row in memory; the file is spooled to disk."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    book.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def download(fmt, filename, header, rows):
    if fmt == "xlsx":
        return xlsx_response(filename, header, rows)
    return csv_response(filename, header, rows)


def record(request, what, parameters, rows=None, subjects=()):
    """Log a download of personal data; ``subjects`` are the ids (a list or a values_list
    QuerySet) of the people whose data it holds."""
    log(request.user, what, parameters, rows=rows, subjects=subjects)


@transaction.atomic
def log(user, what, parameters, rows=None, subjects=()):
    entry = ExportRecord.objects.create(
        user=user,
        username=user.get_username(),
        what=what,
        parameters={key: str(value) for key, value in parameters.items()},
        rows=rows,
    )
    link = ExportRecord.subjects.through
    batch = []
    ids = subjects.iterator(chunk_size=CHUNK) if hasattr(subjects, "iterator") else subjects
    for user_id in ids:
        batch.append(link(exportrecord_id=entry.pk, user_id=user_id))
        if len(batch) >= CHUNK:
            link.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    link.objects.bulk_create(batch, ignore_conflicts=True)
    return entry
