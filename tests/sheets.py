"""Reading exported spreadsheets back in tests, and the name that must never run as a formula."""

import csv
import io

from openpyxl import load_workbook

FORMULA_NAME = '=HYPERLINK("http://x.invalid","详情")'


def body(response):
    """The bytes of a response, streamed or not; a streamed one is read once and kept."""
    if not response.streaming:
        return response.content
    if not hasattr(response, "read_body"):
        response.read_body = b"".join(response.streaming_content)
    return response.read_body


def csv_rows(response):
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def xlsx_cells(response):
    """Every cell of the first sheet, as openpyxl cells (value and data type)."""
    sheet = load_workbook(io.BytesIO(body(response))).worksheets[0]
    return [cell for row in sheet.iter_rows() for cell in row]


def assert_neutralised_csv(response, text=FORMULA_NAME):
    cells = [cell for row in csv_rows(response) for cell in row]
    assert "'" + text in cells, cells
    assert text not in cells


def assert_neutralised_xlsx(response, text=FORMULA_NAME):
    cells = [cell for cell in xlsx_cells(response) if isinstance(cell.value, str)]
    found = [cell for cell in cells if cell.value == "'" + text]
    assert found, [cell.value for cell in cells]
    assert all(cell.data_type == "s" for cell in found)
    assert not [cell for cell in xlsx_cells(response) if cell.data_type == "f"]


def sheet_rows(response, fmt):
    """The rows of a CSV or XLSX export as lists of text, as a reader of either would see."""
    if fmt == "csv":
        return csv_rows(response)
    sheet = load_workbook(io.BytesIO(body(response))).worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
