"""The one place where spreadsheets are written and read, so no export or import can forget
the rules.

Writing: every string cell, headers included, whose text begins with ``= + - @``, a tab or a
carriage return gets a leading apostrophe (the OWASP rule against CSV/formula injection), so a
learner called ``=HYPERLINK(...)`` is shown as text and never runs as a formula in Excel or
WPS. Numbers stay numbers: only strings are neutralised.

Reading: an XLSX is a zip of XML. Before openpyxl opens one, its zip directory is checked (the
uncompressed size and the compression ratio of every member), and the rows are read with a
bound on rows and columns, so a small file that declares or holds a huge sheet is refused
quickly and in little memory instead of being expanded. openpyxl parses with defusedxml, which
is a declared dependency.
"""

import csv
import io
import zipfile

from django.utils.functional import Promise
from django.utils.translation import gettext as _

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"  # Excel opens UTF-8 with a byte-order mark as UTF-8, not as GBK

MAX_UNCOMPRESSED = 20 * 1024 * 1024  # all members of the zip together
MAX_RATIO = 100  # uncompressed / compressed, for a member big enough to matter
RATIO_FLOOR = 1024 * 1024  # members smaller than this cannot hurt, whatever their ratio


class SpreadsheetError(ValueError):
    """A file that is not read; the message says why, for the person who uploaded it."""


class TooManyRows(SpreadsheetError):
    """The sheet goes on beyond the rows the caller accepts; the caller words the message."""


def neutralise(value):
    """The value as it is safe to put in a cell: strings that a spreadsheet program would take
    for a formula get a leading apostrophe; numbers, dates and None are returned unchanged."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise_row(values):
    return [neutralise(value) for value in values]


class _Echo:
    def write(self, value):
        return value


def csv_lines(header, rows):
    """The CSV text line by line (UTF-8 BOM first), for a streamed response."""
    writer = csv.writer(_Echo())
    yield BOM
    yield writer.writerow(neutralise_row(header))
    for row in rows:
        yield writer.writerow(neutralise_row(row))


def csv_bytes(header, rows):
    return "".join(csv_lines(header, rows)).encode("utf-8")


def write_xlsx(file, header, rows, title=None):
    """Write one sheet to ``file`` with openpyxl's write-only mode (one row in memory)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31] if title else None)
    sheet.append(neutralise_row(header))
    for row in rows:
        # A neutralised string never starts with "=", so openpyxl stores it as a string
        # (data type "s"), not as a formula.
        sheet.append(neutralise_row(row))
    book.save(file)


def xlsx_bytes(header, rows, title=None):
    out = io.BytesIO()
    write_xlsx(out, header, rows, title=title)
    return out.getvalue()


def check_xlsx_archive(content):
    """Refuse what is not a zip, or whose members would expand beyond the limits.

    The sizes come from the zip's central directory; Python's zipfile never returns more
    bytes for a member than the directory declares, so a lying directory cannot get past."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError) as exc:
        raise SpreadsheetError(
            _("The file is not an XLSX workbook (an XLSX file is a zip archive).")
        ) from exc
    with archive:
        members = archive.infolist()
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED:
        raise SpreadsheetError(
            _("The workbook would be larger than %(size)d MB when unpacked; split it.")
            % {"size": MAX_UNCOMPRESSED // (1024 * 1024)}
        )
    for member in members:
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise SpreadsheetError(
                _("The workbook is compressed suspiciously well; it was not opened.")
            )


def xlsx_rows(content, max_rows, max_columns):
    """The first sheet's non-empty rows as ``(row number, [cell values])``.

    Reads at most ``max_rows`` rows and ``max_columns`` columns. A sheet that declares, or
    holds, a row beyond ``max_rows`` is refused: a silently shortened import would be worse.
    """
    check_xlsx_archive(content)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise SpreadsheetError(_("The file is not a readable XLSX workbook.")) from exc
    try:
        if not workbook.worksheets:
            raise SpreadsheetError(_("The workbook has no sheet."))
        sheet = workbook.worksheets[0]
        if (sheet.max_row or 0) > max_rows:  # the declared dimension, read from its head
            raise TooManyRows
        rows = []
        # max_row/max_col bound what openpyxl pads: without them a sheet declaring
        # A1:XFD20002 is expanded into 16,384 cells for every row, whatever it holds.
        # One row more than allowed is read, to tell a full file from a too long one.
        cells = sheet.iter_rows(max_row=max_rows + 1, max_col=max_columns, values_only=True)
        for number, values in enumerate(cells, start=1):
            if values.count(None) == len(values):  # padding for a missing row: skip it fast
                continue
            if number > max_rows:
                raise TooManyRows
            rows.append((number, list(values)))
        return rows
    except SpreadsheetError:
        raise
    except Exception as exc:  # damaged XML inside a valid zip
        raise SpreadsheetError(_("The file is not a readable XLSX workbook.")) from exc
    finally:
        workbook.close()
