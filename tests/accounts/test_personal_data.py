"""The personal-data export holds everything kept about a person, and deleting the account
removes everything that names them: certificate ZIPs, spreadsheets not yet applied, login
slips (docs/privacy.md)."""

import io
import json
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from accounts import services as account_services
from accounts.models import ImportBatch, ImportKind, User
from certificates import exports as certificate_exports
from certificates.models import Certificate, CertificateExport
from courses import services as learning
from courses.models import LessonPage, Response
from courses.quiz.attempts import grade_essay
from reports.models import ExportRecord
from tests.accounts.test_privacy_and_security import reauthenticate, sign_in
from tests.certificates.helpers import finish, lessons_course
from tests.classrooms.helpers import (
    assign,
    make_class,
    make_pupil,
    make_school,
    make_teacher,
    school_module,
)
from tests.classrooms.test_services import take_quiz
from tests.classrooms.test_views import ESSAY_GIFT

pytestmark = pytest.mark.django_db


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def batch(school, uploader, filename, content, **extra):
    return ImportBatch.objects.create(
        organisation=school,
        kind=ImportKind.PUPILS,
        uploaded_by=uploader,
        filename=filename,
        content=content,
        **extra,
    )


@pytest.fixture
def everything(client, catalog, tmp_path, django_capture_on_commit_callbacks):
    """A pupil with every kind of record, a teacher's class-report download and a
    certificate ZIP that hold their data, and spreadsheets that do and do not name them."""
    school = make_school("甲校")
    teacher = make_teacher(school, "周老师")
    classroom = make_class(school, teacher)
    pupil = make_pupil(school, classroom, real_name="王小明", district="310104")
    pupil.memberships.update(staff_number="20250101")
    classmate = make_pupil(school, classroom, real_name="李玥")

    course, quiz = school_module(tmp_path, gift=ESSAY_GIFT, shuffle=False)
    assign(classroom, teacher, course, quiz)
    enrolment = learning.enrol(pupil, course)
    learning.complete_lesson(enrolment, LessonPage.objects.child_of(course).first())
    take_quiz(pupil, quiz, {"q-si": 0, "q-why": "因为要准确"})
    essay = Response.objects.get(attempt__user=pupil, question_key="q-why")
    grade_essay(essay, Decimal("0.8"), teacher, comment="写得很好，再举一个例子。")

    (tmp_path / "cert").mkdir()
    certified = lessons_course(tmp_path / "cert")
    finish(pupil, certified)
    finish(classmate, certified)
    certificate = Certificate.objects.get(user=pupil)

    client.force_login(teacher)
    assert client.get(f"/classes/{classroom.pk}/report.csv").status_code == 200
    client.logout()

    with django_capture_on_commit_callbacks(execute=True):
        zip_export = certificate_exports.start(teacher, organisation=school)
    zip_export.refresh_from_db()
    assert zip_export.file and zip_export.holders.count() == 2

    files = {
        "names_me_csv": batch(school, teacher, "a.csv", "姓名,学号\n王小明,20250101\n".encode()),
        "my_number_xlsx": batch(
            school, teacher, "b.xlsx", xlsx([["姓名", "学号"], ["王 小明", "20250101"]])
        ),
        "someone_else": batch(school, teacher, "c.csv", "姓名,学号\n赵六,20250109\n".encode()),
        "applied": batch(school, teacher, "d.csv", b"", applied_at=certificate.issued_at),
    }
    return {
        "pupil": pupil,
        "teacher": teacher,
        "classroom": classroom,
        "certificate": certificate,
        "zip": zip_export,
        "files": files,
    }


def export_of(client, user):
    sign_in(client, user)
    reauthenticate(client)
    response = client.get("/accounts/profile/export/")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_export_holds_every_record_of_the_person(client, everything):
    data = export_of(client, everything["pupil"])

    assert data["account"]["real_name"] == "王小明"
    assert data["account"]["district"] == "310104"
    [membership] = data["memberships"]
    assert (membership["organisation"], membership["staff_number"]) == ("甲校", "20250101")
    assert [c["class"] for c in data["classes"]] == ["初二（3）班"]

    courses = {e["course"]: e for e in data["enrolments"]}
    assert len(courses) == 2
    assert any(e["completed_at"] for e in courses.values())  # the certificate course
    assert len(data["lesson_progress"]) == 3
    assert all(p["completed_at"] for p in data["lesson_progress"])

    [attempt] = data["quiz_attempts"]
    assert attempt["quiz"] == "结业测验" and attempt["number"] == 1
    answers = {r["question"]: r for r in attempt["responses"]}
    assert answers["q-why"]["answer"] == "因为要准确"
    assert answers["q-why"]["question_text"] == "用自己的话说说为什么要校准电子秤。"
    assert answers["q-why"]["credit"] == "0.80000"
    assert answers["q-why"]["teacher_comment"] == "写得很好，再举一个例子。"
    assert answers["q-why"]["graded_by_teacher"] is True
    assert answers["q-si"]["answer"] == 0 and answers["q-si"]["credit"] == "1.00000"
    assert attempt["score_percent"] is not None  # graded, so scored

    [work] = data["assignments"]
    assert work["class"] == "初二（3）班" and work["title"].endswith("结业测验")

    [certificate] = data["certificates"]
    assert certificate["number"] == everything["certificate"].number

    [report] = data["exports_including_me"]
    assert report["what"] == "class-report.csv"
    assert report["by"] == everything["teacher"].username
    [zip_entry] = data["certificate_exports_including_me"]
    assert zip_entry["requested_by"] == everything["teacher"].username
    assert zip_entry["organisation"] == "甲校"

    body = json.dumps(data, ensure_ascii=False)
    assert "李玥" not in body  # the classmate in the same report and ZIP


def test_the_teachers_own_export_lists_the_downloads_they_made(client, everything):
    data = export_of(client, everything["teacher"])
    assert [e["what"] for e in data["exports_made"]] == ["class-report.csv"]
    assert data["exports_made"][0]["rows"] == 2
    assert [c["class"] for c in data["classes_taught"]] == ["初二（3）班"]


def test_deleting_the_account_removes_zips_and_spreadsheets_that_name_them(client, everything):
    pupil, files, zip_export = everything["pupil"], everything["files"], everything["zip"]
    storage, zip_name = zip_export.file.storage, zip_export.file.name
    assert storage.exists(zip_name)

    sign_in(client, pupil)
    reauthenticate(client)
    response = client.post("/accounts/profile/delete/", {"confirm": "删除"})
    assert response.status_code == 302

    assert not User.objects.filter(pk=pupil.pk).exists()
    assert not storage.exists(zip_name)
    assert not CertificateExport.objects.filter(pk=zip_export.pk).exists()
    left = set(ImportBatch.objects.values_list("pk", flat=True))
    assert files["names_me_csv"].pk not in left
    assert files["my_number_xlsx"].pk not in left
    assert {files["someone_else"].pk, files["applied"].pk} <= left
    # The record of the class-report download stays (who downloaded, when), without them.
    record = ExportRecord.objects.get(what="class-report.csv")
    assert record.username == everything["teacher"].username
    assert list(record.subjects.values_list("real_name", flat=True)) == ["李玥"]


def test_deleting_the_requester_removes_their_zips_and_their_uploads(everything):
    teacher, zip_export = everything["teacher"], everything["zip"]
    storage, zip_name = zip_export.file.storage, zip_export.file.name
    account_services.delete_account(teacher)
    assert not storage.exists(zip_name)
    assert not CertificateExport.objects.exists()
    assert not ImportBatch.objects.exists()


def test_a_zip_built_before_holders_were_recorded_is_read_for_the_persons_number(
    everything, django_capture_on_commit_callbacks
):
    other = make_teacher(make_school("乙校"), "吴老师")
    with django_capture_on_commit_callbacks(execute=True):
        old = certificate_exports.start(other)
    old.refresh_from_db()
    old.holders.clear()
    names = zipfile.ZipFile(old.file.open("rb")).namelist()
    assert any(n.startswith(everything["certificate"].number) for n in names)
    storage, name = old.file.storage, old.file.name

    account_services.delete_account(everything["pupil"])
    assert not storage.exists(name)
    assert not CertificateExport.objects.filter(pk=old.pk).exists()


def test_login_slips_do_not_outlive_the_pupils_account(client, catalog):
    school = make_school()
    teacher = make_teacher(school)
    classroom = make_class(school, teacher)
    client.force_login(teacher)
    upload = SimpleUploadedFile("p.csv", "姓名,学号\n钱七,7001\n孙八,7002\n".encode())
    response = client.post(f"/classes/{classroom.pk}/pupils/import/", {"file": upload})
    url = response["Location"]
    client.post(url)
    slips = client.get(url + "slips.pdf")
    assert slips.status_code == 200

    qian = User.objects.get(real_name="钱七")
    account_services.delete_account(qian)
    from tests.classrooms.test_import import pdf_text

    text = pdf_text(client.get(url + "slips.pdf").content)
    assert "孙八" in text
    assert "钱七" not in text and qian.username not in text

    account_services.delete_account(User.objects.get(real_name="孙八"))
    assert client.get(url + "slips.pdf").status_code == 410  # nobody left on them


def test_login_slips_go_with_the_teachers_account(client, catalog):
    school = make_school()
    teacher = make_teacher(school)
    classroom = make_class(school, teacher)
    client.force_login(teacher)
    upload = SimpleUploadedFile("p.csv", "姓名,学号\n钱七,7001\n".encode())
    url = client.post(f"/classes/{classroom.pk}/pupils/import/", {"file": upload})["Location"]
    client.post(url)
    batch_id = int(re.search(r"/import/(\d+)/", url).group(1))
    from django.core.cache import cache

    assert cache.get(f"class-login-slips:{batch_id}") is not None
    account_services.delete_account(teacher)
    assert cache.get(f"class-login-slips:{batch_id}") is None


def test_a_teachers_class_report_download_is_recorded(client, catalog):
    school = make_school()
    teacher = make_teacher(school)
    classroom = make_class(school, teacher)
    pupil = make_pupil(school, classroom)
    client.force_login(teacher)
    assert client.get(f"/classes/{classroom.pk}/report.xlsx").status_code == 200
    record = ExportRecord.objects.get()
    assert (record.user, record.what, record.rows) == (teacher, "class-report.xlsx", 1)
    assert record.parameters == {"classroom": str(classroom.pk)}
    assert list(record.subjects.all()) == [pupil]
    # Someone else's class: 404, and nothing recorded.
    client.force_login(make_teacher(make_school("乙校")))
    assert client.get(f"/classes/{classroom.pk}/report.csv").status_code == 404
    assert ExportRecord.objects.count() == 1
    assert reverse("classroom_report_export", args=[classroom.pk, "csv"])
