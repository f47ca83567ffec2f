"""CSV and XLSX downloads that stream: rows are read from the database in chunks and written
as they come, so a 100,000-row export never holds all of them in memory."""

import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation

from cms import spreadsheets
from reports.models import ExportRecord

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


def record(request, what, parameters, rows=None):
    ExportRecord.objects.create(
        user=request.user,
        username=request.user.get_username(),
        what=what,
        parameters={key: str(value) for key, value in parameters.items()},
        rows=rows,
    )
