"""XLSX uploads are bounded before they are read, and parsed once per upload.

Every file here is built by the test in memory: a small file whose sheet declares or holds
a huge range, zip bombs, a non-zip file, an XML entity bomb, and a good file."""

import io
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from accounts import tables
from accounts.imports import StaffImport
from accounts.models import ImportBatch, Membership, User
from tests.accounts.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def twenty_thousand_rows(settings):
    # These files are built around a limit of 20,000 rows a file, whatever the default.
    settings.IMPORT_MAX_ROWS = 20_000


SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def manager(client):
    user = make_user(real_name="培训管理员")
    organisation = make_organisation(manager=user)
    client.force_login(user)
    return organisation


def good_workbook(rows=(("姓名", "邮箱"), ("李玥", "li.yue@example.com"))):
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rebuilt(replace=None, extra=None, method=zipfile.ZIP_DEFLATED):
    """A good workbook with some members replaced or added."""
    replace, extra = replace or {}, extra or {}
    source = zipfile.ZipFile(io.BytesIO(good_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name, data in extra.items():
            archive.writestr(name, data)
    return out.getvalue()


def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(dimension, last="B20002"):
    """Two real rows, and one cell far below (or far to the right)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>'
        f'<row r="1">{inline("A1", "姓名")}{inline("B1", "邮箱")}</row>'
        f'<row r="2">{inline("A2", "李玥")}{inline("B2", "li.yue@example.com")}</row>'
        f'<row r="{last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}">{inline(last, "x")}</row>'
        "</sheetData></worksheet>"
    ).encode()


def read_quickly(content):
    """Read a file as an import does, asserting it takes little time and little memory."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        table = tables.parse("staff.xlsx", content)
        elapsed = time.monotonic() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 2, elapsed
    assert peak < 50 * 1024 * 1024, peak
    return table


@pytest.mark.parametrize(
    "dimension",
    ["A1:XFD20002", "A1:B2"],  # as declared, and a dimension that lies about the last row
)
def test_a_small_file_with_a_huge_sheet_is_refused_quickly(dimension):
    content = rebuilt({SHEET: sheet_xml(dimension)})
    assert len(content) < 6 * 1024
    assert read_quickly(content) == {"problem": "文件超过 20000 行，请拆分成较小的文件。"}


def test_a_far_column_is_not_read_and_does_not_cost_memory():
    table = read_quickly(rebuilt({SHEET: sheet_xml("A1:XFD20000", last="XFD20000")}))
    assert table["header"][:2] == ["姓名", "邮箱"]
    assert [line for line, _cells in table["rows"]] == [2]


def test_the_row_limit_is_a_setting_for_xlsx_and_csv(manager, settings):
    settings.IMPORT_MAX_ROWS = 2
    rows = [("姓名", "邮箱")] + [(f"员工{n}", f"s{n}@example.com") for n in range(3)]
    for name, content in (
        ("staff.xlsx", good_workbook(rows)),
        ("staff.csv", "\n".join(",".join(row) for row in rows).encode()),
    ):
        report = StaffImport(manager).check(name, content)
        assert report.problems == ["文件超过 2 行，请拆分成较小的文件。"], name
    assert StaffImport(manager).check("staff.xlsx", good_workbook(rows[:3])).ok


def test_a_zip_bomb_is_refused_by_its_compression_ratio():
    content = rebuilt(extra={"xl/media/pad.bin": b"\0" * (10 * 1024 * 1024)})
    assert len(content) < 100 * 1024
    assert read_quickly(content) == {"problem": "这个工作簿的压缩比异常高，未打开。"}


def test_a_workbook_too_large_when_unpacked_is_refused(manager):
    # Stored, not compressed: the ratio is 1, only the unpacked size gives it away.
    content = rebuilt(
        extra={"xl/media/pad.bin": b"\0" * (21 * 1024 * 1024)}, method=zipfile.ZIP_STORED
    )
    report = StaffImport(manager).check("staff.xlsx", content)
    assert report.problems == ["这个工作簿解压后超过 20 MB，请拆分。"]


def test_a_file_that_is_not_a_zip_is_refused_with_a_clear_message(manager):
    report = StaffImport(manager).check("staff.xlsx", "姓名,邮箱\n".encode())
    assert report.problems == ["这个文件不是 XLSX 工作簿（XLSX 文件是 zip 压缩包）。"]


def test_xml_entities_are_refused_by_defusedxml():
    assert openpyxl.DEFUSEDXML
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    assert read_quickly(rebuilt({SHEET: laughs})) == {"problem": "无法读取这个 XLSX 工作簿。"}


def upload(client, name, content):
    response = client.post("/org/import/staff/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def test_a_refused_file_shows_the_reason_and_creates_nothing(client, manager):
    url = upload(client, "staff.xlsx", rebuilt({SHEET: sheet_xml("A1:XFD20002")}))
    page = client.get(url).content.decode()
    assert "文件超过 20000 行" in page and "确认导入" not in page
    client.post(url)
    assert not User.objects.filter(email="li.yue@example.com").exists()
    assert Membership.objects.filter(organisation=manager).count() == 1


def test_the_file_is_parsed_once_for_upload_previews_and_confirmation(client, manager, monkeypatch):
    calls = []
    read_table = tables.read_table
    monkeypatch.setattr(tables, "read_table", lambda *a: calls.append(a) or read_table(*a))
    url = upload(client, "staff.xlsx", good_workbook())
    for _ in range(3):
        assert "将新建 1 人" in client.get(url).content.decode()
    assert client.post(url).status_code == 200
    assert len(calls) == 1
    assert Membership.objects.filter(organisation=manager, user__real_name="李玥").exists()
    batch = ImportBatch.objects.get()
    assert batch.applied_at and batch.table is None and not bytes(batch.content)
