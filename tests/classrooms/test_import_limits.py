"""A class's pupil import reads an XLSX once per upload and refuses an oversized sheet."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import tables
from accounts.models import User
from tests.accounts.test_xlsx_limits import SHEET, good_workbook, rebuilt, sheet_xml
from tests.classrooms.helpers import make_class, make_school, make_teacher


@pytest.fixture(autouse=True)
def twenty_thousand_rows(settings):
    # These files are built around a limit of 20,000 rows a file, whatever the default.
    settings.IMPORT_MAX_ROWS = 20_000


pytestmark = pytest.mark.django_db

PUPILS = (("姓名", "学号"), ("王小明", "20250101"), ("李玥", "20250102"))


@pytest.fixture
def classroom(client):
    school = make_school()
    teacher = make_teacher(school)
    client.force_login(teacher)
    return make_class(school, teacher)


def upload(client, classroom, content):
    file = SimpleUploadedFile("pupils.xlsx", content)
    response = client.post(f"/classes/{classroom.pk}/pupils/import/", {"file": file})
    assert response.status_code == 302
    return response["Location"]


def test_the_file_is_parsed_once_for_upload_previews_and_confirmation(
    client, classroom, monkeypatch
):
    calls = []
    read_table = tables.read_table
    monkeypatch.setattr(tables, "read_table", lambda *a: calls.append(a) or read_table(*a))
    url = upload(client, classroom, good_workbook(PUPILS))
    for _ in range(3):
        assert "将新建 2 人" in client.get(url).content.decode()
    assert len(calls) == 1
    client.post(url)
    assert len(calls) == 1
    assert set(classroom.pupils.values_list("user__real_name", flat=True)) == {"王小明", "李玥"}


def test_a_sheet_declaring_a_huge_range_is_refused_and_creates_nobody(client, classroom):
    url = upload(client, classroom, rebuilt({SHEET: sheet_xml("A1:XFD20002")}))
    assert "文件超过 20000 行" in client.get(url).content.decode()
    html = client.post(url).content.decode()
    assert "没有导入任何内容：文件中有错误。" in html
    assert not User.objects.filter(real_name="李玥").exists() and not classroom.pupils.exists()
