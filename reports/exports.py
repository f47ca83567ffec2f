"""CSV and XLSX downloads that stream: rows are read from the database in chunks and written
as they come, so a 100,000-row export never holds all of them in memory."""

import json
import tempfile

from django.db import connection, transaction
from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation

from reports.models import ExportRecord
from serving import spreadsheets

CHUNK = 2000


def in_request_language(lines):
    """The lines, produced in the language active now.

    A streamed body is written after the view has returned, when the language middleware has
    already switched back to the site's default: rows worked out then (statuses, labels)
    would be Chinese under an English header.
    """
    language = translation.get_language()  # now, in the view, not when the body is read

    def produce():
        with translation.override(language):
            yield from lines

    return produce()


def csv_response(filename, header, rows):
    """Cells are neutralised by the shared writer: no name can run as a formula."""
    response = StreamingHttpResponse(
        in_request_language(spreadsheets.csv_lines(header, rows)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename, header, rows):
    """openpyxl's write-only mode keeps one row in memory; the file is spooled to disk."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    spreadsheets.write_xlsx(spool, header, rows)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type=spreadsheets.XLSX_CONTENT_TYPE,
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
    batch = []
    ids = subjects.iterator(chunk_size=CHUNK) if hasattr(subjects, "iterator") else subjects
    for user_id in ids:
        batch.append(int(user_id))
        if len(batch) >= CHUNK:
            _link_subjects(entry.pk, batch)
            batch = []
    _link_subjects(entry.pk, batch)
    return entry


def _link_subjects(entry_id, user_ids):
    """One INSERT for up to CHUNK people, the ids passed as one array parameter.

    Django's bulk_create splits rows by SQLite's old limit of 999 parameters, so a page of a
    thousand people would cost three statements there and one on PostgreSQL; a log entry
    should cost the same wherever it runs and however many people it names.
    """
    if not user_ids:
        return
    table = connection.ops.quote_name(ExportRecord.subjects.through._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} (exportrecord_id, user_id) "
                "SELECT %s, UNNEST(%s::bigint[]) ON CONFLICT DO NOTHING",
                [entry_id, user_ids],
            )
        else:
            cursor.execute(
                f"INSERT OR IGNORE INTO {table} (exportrecord_id, user_id) "
                "SELECT %s, value FROM json_each(%s)",
                [entry_id, json.dumps(user_ids)],
            )
