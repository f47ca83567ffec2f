import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from accounts.models import User
from tests.classrooms.helpers import make_class, make_pupil, make_school, make_teacher

pytestmark = pytest.mark.django_db


@pytest.fixture
def classroom(client):
    school = make_school()
    teacher = make_teacher(school)
    client.force_login(teacher)
    return make_class(school, teacher)


def upload(client, classroom, text):
    file = SimpleUploadedFile("pupils.csv", text.encode("utf-8"))
    response = client.post(f"/classes/{classroom.pk}/pupils/import/", {"file": file})
    assert response.status_code == 302
    return response["Location"]


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_csv_pupils_join_the_class_and_slips_print_once(client, classroom):
    existing = make_pupil(classroom.school, real_name="赵六")
    existing.memberships.update(staff_number="20250100")
    url = upload(client, classroom, "姓名,学号\n王小明,20250101\n李玥,20250102\n赵六,20250100\n")
    preview = client.get(url).content.decode()
    assert "将新建 2 人" in preview and "1 人已是本校学生（加入本班）" in preview
    assert not User.objects.filter(real_name="王小明").exists()

    result = client.post(url).content.decode()
    pupils = set(classroom.pupils.values_list("user__real_name", flat=True))
    assert pupils == {"王小明", "李玥", "赵六"}
    passwords = re.findall(r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{2})</code>", result)
    assert len(passwords) == 2

    slips = client.get(url + "slips.pdf")
    assert slips["Content-Type"] == "application/pdf"
    text = pdf_text(slips.content)
    pupil = User.objects.get(real_name="王小明")
    assert "王小明" in text and pupil.username in text and "初二（3）班" in text
    assert "赵六" not in text  # already had an account: no new password
    shown = next(p for p in passwords if p in text)
    assert any(User.objects.get(real_name=n).check_password(shown) for n in ("王小明", "李玥"))

    client.post(url + "forget/")
    assert client.get(url + "slips.pdf").status_code == 410
    assert client.post(url).status_code == 200  # confirming again creates nobody twice
    assert User.objects.filter(real_name="王小明").count() == 1


def test_slips_expire_after_an_hour(client, classroom, monkeypatch):
    from classrooms import slips

    url = upload(client, classroom, "姓名,学号\n王小明,20250101\n")
    client.post(url)
    assert client.get(url + "slips.pdf").status_code == 200
    later = slips.time.time() + slips.SLIP_MINUTES * 60 + 1
    monkeypatch.setattr(slips.time, "time", lambda: later)
    gone = client.get(url + "slips.pdf")
    assert gone.status_code == 410 and "登录条已不可下载" in gone.content.decode()


def test_bad_rows_create_nobody_and_change_nothing(client, classroom):
    url = upload(client, classroom, "姓名,学号\n王小明,20250101\n,20250102\n李玥,2025 0103\n")
    html = client.post(url).content.decode()
    assert "没有导入任何内容：文件中有错误。" in html and "2 行有错误" in html
    assert not User.objects.filter(real_name="王小明").exists()
    assert not classroom.pupils.exists()


def test_the_result_page_says_once_how_long_the_slips_can_be_downloaded(client, classroom):
    url = upload(client, classroom, "姓名,学号\n王小明,20250101\n")
    result = client.post(url).content.decode()
    assert "之后 60 分钟内" in result and "下载登录条" in result
    # The page no longer says both "never shown again" and "downloadable for an hour".
    assert "不会再次显示" not in result
