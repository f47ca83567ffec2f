"""CSV and XLSX downloads that stream: rows are read from the database in chunks and written
as they come, so a 100,000-row export never holds all of them in memory."""

import tempfile

from django.http import FileResponse, StreamingHttpResponse

from cms import spreadsheets
from reports.models import ExportRecord

CHUNK = 2000


def csv_response(filename, header, rows):
    """Cells are neutralised by the shared writer: no name can run as a formula."""
    response = StreamingHttpResponse(
        spreadsheets.csv_lines(header, rows), content_type="text/csv; charset=utf-8"
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
