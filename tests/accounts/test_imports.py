import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from accounts.imports import PupilImport, StaffImport
from accounts.models import ImportBatch, Membership, OrganisationKind, Role, User
from tests.accounts.factories import add_member, credit_code, make_organisation, make_user

pytestmark = pytest.mark.django_db

STAFF_CSV = "姓名,邮箱,部门,工号\n张伟,zhang.wei@example.com,装配车间,A001\n陈堃,chen.kun@example.com,质检部,A002\n阿卜杜拉·艾力,abdul@example.com,仓库,A003\n"


@pytest.fixture
def manager(client):
    user = make_user(real_name="培训管理员")
    organisation = make_organisation(manager=user)
    client.force_login(user)
    return organisation


def upload(client, kind, content, name="staff.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    response = client.post(f"/org/import/{kind}/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def test_dry_run_creates_nobody_then_confirm_creates_and_mails(
    client, manager, django_capture_on_commit_callbacks
):
    preview_url = upload(client, "staff", STAFF_CSV)
    preview = client.get(preview_url).content.decode()
    assert "将新建 3 人" in preview
    assert not User.objects.filter(email="zhang.wei@example.com").exists()

    with django_capture_on_commit_callbacks(execute=True):
        result = client.post(preview_url)
    assert result.status_code == 200
    members = Membership.objects.filter(organisation=manager, role=Role.LEARNER)
    assert {m.user.real_name for m in members} == {"张伟", "陈堃", "阿卜杜拉·艾力"}
    assert members.get(user__email="chen.kun@example.com").department == "质检部"
    assert len(mail.outbox) == 3
    assert "质量学堂" in mail.outbox[0].subject
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_the_same_file_twice_creates_nobody_twice(client, manager):
    client.post(upload(client, "staff", STAFF_CSV))
    second = upload(client, "staff", STAFF_CSV)
    assert "已存在 3 人（不变）" in client.get(second).content.decode()
    client.post(second)
    assert User.objects.filter(email__endswith="@example.com").count() == 4  # 3 + manager
    assert Membership.objects.filter(organisation=manager).count() == 4


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,phone\n张伟,13800000000\n", "缺少列"),
        ("姓名,邮箱\n", "没有数据行"),
        ("姓名,邮箱\n张伟,not-an-email\n", "不是有效的电子邮件地址"),
        ("姓名,邮箱\n张伟,a@example.com\n李四,a@example.com\n", "与第 2 行的电子邮件重复"),
        ("姓名,邮箱\n" + "王" * 41 + ",long@example.com\n", "2 至 40 个字"),
        ("姓名,邮箱,工号\n张伟,a@example.com,X1\n李四,b@example.com,X1\n", "与第 2 行的工号重复"),
    ],
)
def test_bad_files_are_reported_and_nothing_is_created(client, manager, content, message):
    url = upload(client, "staff", content)
    html = client.get(url).content.decode()
    assert message in html
    assert "确认导入" not in html
    before = User.objects.count()
    client.post(url)
    assert User.objects.count() == before


def test_empty_upload_is_refused(client, manager):
    response = client.post("/org/import/staff/", {"file": SimpleUploadedFile("s.csv", b"")})
    assert response.status_code == 200
    assert "所提交的是空文件" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_an_existing_account_is_not_pulled_into_another_organisation(client, manager):
    outsider = make_user(email="someone@example.com")
    url = upload(client, "staff", "姓名,邮箱\n某人,someone@example.com\n")
    assert "已经注册了账号" in client.get(url).content.decode()
    assert not Membership.objects.filter(user=outsider, organisation=manager).exists()


def test_ten_thousand_rows_give_a_report_and_create_nothing_until_confirmed(manager, settings):
    settings.IMPORT_MAX_ROWS = 20_000  # an organisation allowed more than the default 2,000
    rows = ["姓名,邮箱"] + [f"员工{n},staff{n}@example.com" for n in range(10_000)]
    rows[5001] = "员工5000,staff0@example.com"  # one duplicate
    report = StaffImport(manager).check("big.csv", "\n".join(rows).encode())
    assert len(report.rows) == 10_000
    assert [row.line for row in report.error_rows] == [5002]
    assert report.count_create == 9_999
    assert User.objects.filter(email__startswith="staff").count() == 0


def test_xlsx_and_gb18030_csv_are_read(manager):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "邮箱", "工号"])
    sheet.append(["李玥", "li.yue@example.com", 1001])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = StaffImport(manager).check("staff.xlsx", buffer.getvalue())
    assert report.ok and report.rows[0].values["staff_number"] == "1001"

    report = StaffImport(manager).check(
        "staff.csv", "姓名,邮箱\n周昇,zhou@example.com\n".encode("gb18030")
    )
    assert report.ok and report.rows[0].values["real_name"] == "周昇"


def test_damaged_xlsx_is_a_clear_problem(manager):
    report = StaffImport(manager).check("staff.xlsx", b"not a zip file")
    assert report.problems and not report.rows


def test_another_managers_batch_is_404(client, manager):
    other_manager = make_user()
    other = make_organisation(manager=other_manager)
    batch = ImportBatch.objects.create(
        organisation=other,
        kind="staff",
        uploaded_by=other_manager,
        filename="x.csv",
        content=STAFF_CSV.encode(),
    )
    assert client.get(f"/org/imports/{batch.pk}/").status_code == 404
    assert client.post(f"/org/imports/{batch.pk}/").status_code == 404
    assert not User.objects.filter(email="zhang.wei@example.com").exists()


@pytest.fixture
def teacher(client):
    school = make_organisation(
        kind=OrganisationKind.SCHOOL, credit_code=credit_code(), name="上海市第一中学"
    )
    user = make_user(real_name="周老师")
    add_member(school, user, role=Role.TEACHER)
    client.force_login(user)
    return school


def test_teacher_creates_pupils_from_csv_and_they_must_change_password(client, teacher):
    url = upload(client, "pupils", "姓名,学号\n王小明,20250101\n李玥,20250102\n", name="pupils.csv")
    result = client.post(url)
    html = result.content.decode()
    pupil = User.objects.get(username=f"p{teacher.pk}-20250101")
    assert pupil.must_change_password and pupil.email == ""
    assert pupil.username in html and "一次性密码" in html
    assert pupil.password.startswith("pbkdf2_sha256_initial$")

    again = upload(
        client, "pupils", "姓名,学号\n王小明,20250101\n李玥,20250102\n", name="pupils.csv"
    )
    assert "已存在 2 人（不变）" in client.get(again).content.decode()


def test_pupil_number_taken_by_another_name_is_an_error(teacher):
    add_member(teacher, make_user(real_name="赵六", email=""), staff_number="7")
    report = PupilImport(teacher).check("p.csv", "姓名,学号\n钱七,7\n".encode())
    assert "已属于 赵六" in report.error_rows[0].errors[0]
