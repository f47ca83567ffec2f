"""Reading an uploaded table (CSV or XLSX) into a header and rows, and keeping the parsed
table on its import batch.

Both the importers (imports.py) and the clean-up of a deleted person's data (services.py)
read uploaded files; this module sits below both, so neither imports the other for it.
"""

import csv
import io

from django.conf import settings
from django.utils.translation import gettext as _

from serving import spreadsheets

MAX_COLUMNS = 50  # the importers read a few columns; more are never looked at


def too_many_rows(limit):
    return _("The file has more than %(max)d rows; split it into smaller files.") % {"max": limit}


class TableError(ValueError):
    pass


def read_table(filename, content, max_rows=None):
    """Return (header, [(line, cells), ...]) from CSV (UTF-8 or GB18030) or XLSX bytes; an
    XLSX is read no further than ``max_rows`` rows below its header (by default the limit
    for an organisation's staff and pupil files, ``IMPORT_MAX_ROWS``)."""
    max_rows = settings.IMPORT_MAX_ROWS if max_rows is None else max_rows
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(content, max_rows)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError(_("The file is not readable text (save it as UTF-8 CSV)."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows = [(reader.line_num, cells) for cells in reader]
    return _split_header(rows)


def parse(filename, content, max_rows=None):
    """The file as a table that JSON can hold: ``{"header": [...], "rows": [[line, cells],
    ...]}``, or ``{"problem": message}`` when the file cannot be read as a whole."""
    try:
        header, rows = read_table(filename, content, max_rows)
    except TableError as exc:
        return {"problem": str(exc)}
    return {"header": header, "rows": [[line, cells] for line, cells in rows]}


def batch_table(batch):
    """The table of an uploaded batch, parsed on the first call and kept on the batch.

    Opening the preview again, or confirming it, reads the stored rows instead of parsing
    the file once more: an XLSX is parsed once per upload."""
    if batch.table is None:
        batch.table = parse(batch.filename, bytes(batch.content))
        type(batch).objects.filter(pk=batch.pk).update(table=batch.table)
    return batch.table


def _read_xlsx(content, max_rows):
    # The header and the allowed rows; a row beyond them refuses the file before the rest
    # of it is read.
    try:
        rows = spreadsheets.xlsx_rows(content, max_rows=max_rows + 1, max_columns=MAX_COLUMNS)
    except spreadsheets.TooManyRows as exc:
        raise TableError(too_many_rows(max_rows)) from exc
    except spreadsheets.SpreadsheetError as exc:
        raise TableError(str(exc)) from exc
    return _split_header(
        [(number, [_cell_text(value) for value in values]) for number, values in rows]
    )


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _split_header(rows):
    rows = [(line, [cell.strip() for cell in cells]) for line, cells in rows]
    rows = [(line, cells) for line, cells in rows if any(cells)]
    if not rows:
        raise TableError(_("The file is empty."))
    return rows[0][1], rows[1:]
