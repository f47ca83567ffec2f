"""The shared spreadsheet writer: what is neutralised and what is left alone."""

import io
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from serving import spreadsheets


@pytest.mark.parametrize(
    "text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tcmd", "\rcmd", '=HYPERLINK("x","详情")']
)
def test_strings_that_start_a_formula_get_an_apostrophe(text):
    assert spreadsheets.neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [-3, -2.5, Decimal("-1.5"), 0, None, "王小明", "a=b", ""])
def test_numbers_and_ordinary_text_are_unchanged(value):
    assert spreadsheets.neutralise(value) == value


def test_lazy_translations_are_written_as_their_text():
    with translation.override("en"):
        assert spreadsheets.neutralise(gettext_lazy("Name")) == "Name"


def test_csv_neutralises_header_and_rows_and_keeps_numbers():
    text = spreadsheets.csv_bytes(["=head", "n"], [["-x", -3]]).decode("utf-8")
    assert text == "\ufeff'=head,n\r\n'-x,-3\r\n"


def test_xlsx_stores_neutralised_text_as_strings_and_numbers_as_numbers():
    data = spreadsheets.xlsx_bytes(["=head", "n"], [["=1+1", -3]], title="x" * 40)
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    assert sheet.title == "x" * 31
    cells = {cell.coordinate: cell for row in sheet.iter_rows() for cell in row}
    assert (cells["A1"].value, cells["A1"].data_type) == ("'=head", "s")
    assert (cells["A2"].value, cells["A2"].data_type) == ("'=1+1", "s")
    assert (cells["B2"].value, cells["B2"].data_type) == (-3, "n")
