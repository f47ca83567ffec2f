import csv
import io
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Role
from classrooms import ratelimit, services
from classrooms.models import Assignment, ClassPupil, Classroom
from courses import services as learning
from courses.models import Response
from courses.quiz import attempts
from tests.accounts.factories import add_member, make_user
from tests.classrooms.helpers import (
    assign,
    make_class,
    make_pupil,
    make_school,
    make_teacher,
    school_module,
)
from tests.classrooms.test_services import take_quiz
from tests.courses.learning_helpers import RIGHT, WRONG

pytestmark = pytest.mark.django_db

ESSAY_GIFT = """\
::q-si:: 我国法定计量单位以哪一种单位制为基础？ {=国际单位制 ~市制 ~英制}

::q-why:: 用自己的话说说为什么要校准电子秤。 {}
"""


@pytest.fixture
def school():
    return make_school()


@pytest.fixture
def teacher(client, school):
    user = make_teacher(school)
    client.force_login(user)
    return user


@pytest.fixture
def module(catalog, tmp_path):
    return school_module(tmp_path)


def test_teacher_creates_a_class_and_sees_its_code_link_and_qr(client, teacher, school):
    response = client.post(
        "/classes/new/",
        {"name": "初二（3）班", "grade_band": "junior", "grade": "2", "school_year": "2025"},
    )
    classroom = Classroom.objects.get(school=school)
    assert response["Location"] == f"/classes/{classroom.pk}/"
    assert list(classroom.teachers.all()) == [teacher]
    html = client.get(response["Location"]).content.decode()
    assert classroom.join_code in html and f"/classes/join/{classroom.join_code}/" in html
    qr = client.get(f"/classes/{classroom.pk}/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    assert classroom.join_code in client.get(f"/classes/{classroom.pk}/projector/").content.decode()


def test_a_duplicate_class_or_a_grade_outside_the_stage_is_refused(client, teacher, school):
    make_class(school, teacher, name="初二（3）班", year=2025)
    response = client.post(
        "/classes/new/",
        {"name": "初二（3）班", "grade_band": "junior", "grade": "2", "school_year": "2025"},
    )
    assert "本学年学校已有同名班级" in response.content.decode()
    response = client.post(
        "/classes/new/",
        {"name": "初二（4）班", "grade_band": "junior", "grade": "5", "school_year": "2025"},
    )
    assert "只有 1 到 3 年级" in response.content.decode()
    assert Classroom.objects.filter(school=school).count() == 1


def test_co_teacher_added_sees_the_class(client, teacher, school):
    classroom = make_class(school, teacher)
    colleague = make_teacher(school, real_name="陈老师")
    client.post(f"/classes/{classroom.pk}/teachers/", {"teachers": [colleague.pk]})
    assert set(classroom.teachers.all()) == {teacher, colleague}
    client.force_login(colleague)
    assert client.get(f"/classes/{classroom.pk}/report/").status_code == 200
    # A teacher of another school is not offered and cannot be posted.
    stranger = make_teacher(make_school("另一所学校"), real_name="外校老师")
    response = client.post(f"/classes/{classroom.pk}/teachers/", {"teachers": [stranger.pk]})
    assert response.status_code == 200 and stranger not in classroom.teachers.all()


def test_pupil_joins_with_code_link_and_wrong_codes_are_limited(client, teacher, school):
    classroom = make_class(school, teacher)
    other = make_class(make_school("另一所学校"), make_teacher(make_school("三校")), name="外班")
    pupil = make_user(real_name="李玥")
    client.force_login(pupil)
    page = client.get(f"/classes/join/{classroom.join_code}/").content.decode()
    assert "初二（3）班" in page and "上海市示范中学" in page
    wrong = client.post("/classes/join/", {"code": "ZZZZZZ"}).content.decode()
    assert "班级码无效" in wrong and other.name not in wrong
    response = client.post("/classes/join/", {"code": classroom.join_code.lower()})
    assert response["Location"] == f"/classes/{classroom.pk}/"
    assert ClassPupil.objects.filter(classroom=classroom, user=pupil).exists()
    assert "我的学习任务" in client.get(response["Location"]).content.decode()
    again = client.get(f"/classes/join/{classroom.join_code}/")  # the QR code scanned twice
    assert again["Location"] == f"/classes/{classroom.pk}/"

    guesser = make_user()
    client.force_login(guesser)
    for _ in range(10):
        client.post("/classes/join/", {"code": "ZZZZZZ"})
    blocked = client.post("/classes/join/", {"code": other.join_code})
    assert blocked.status_code == 429 and "15 分钟后再试" in blocked.content.decode()
    assert not ClassPupil.objects.filter(user=guesser).exists()


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_wrong_codes_are_counted_per_client_behind_the_proxy(client, teacher, school, monkeypatch):
    monkeypatch.setattr(ratelimit, "MAX_WRONG_PER_ADDRESS", 3)
    classroom = make_class(school, teacher)
    nginx = {"REMOTE_ADDR": "10.0.0.5"}
    for _ in range(3):
        client.force_login(make_user())
        client.post(
            "/classes/join/", {"code": "ZZZZZZ"}, HTTP_X_FORWARDED_FOR="198.51.100.66", **nginx
        )
    client.force_login(make_user())
    refused = client.post(
        "/classes/join/",
        {"code": classroom.join_code},
        HTTP_X_FORWARDED_FOR="198.51.100.66",
        **nginx,
    )
    assert refused.status_code == 429
    pupil = make_user()
    client.force_login(pupil)
    joined = client.post(
        "/classes/join/", {"code": classroom.join_code}, HTTP_X_FORWARDED_FOR="203.0.113.9", **nginx
    )
    assert joined["Location"] == f"/classes/{classroom.pk}/"
    assert ClassPupil.objects.filter(classroom=classroom, user=pupil).exists()


def test_one_pupil_hammering_after_being_stopped_does_not_stop_the_class(
    client, teacher, school, monkeypatch
):
    monkeypatch.setattr(ratelimit, "MAX_WRONG_PER_ADDRESS", 15)
    classroom = make_class(school, teacher)
    client.force_login(make_user())
    statuses = [client.post("/classes/join/", {"code": "ZZZZZZ"}).status_code for _ in range(30)]
    assert statuses == [200] * 10 + [429] * 20
    pupil = make_user()
    client.force_login(pupil)
    assert client.post("/classes/join/", {"code": classroom.join_code}).status_code == 302
    assert ClassPupil.objects.filter(classroom=classroom, user=pupil).exists()


def test_closed_joining_says_so(client, teacher, school):
    classroom = make_class(school, teacher)
    client.post(f"/classes/{classroom.pk}/joining/", {"open": "0"})
    client.force_login(make_user())
    response = client.post("/classes/join/", {"code": classroom.join_code})
    assert "班级码无效，或该班级已停止加入" in response.content.decode()


def test_browse_modules_by_stage_and_assign_with_dates(client, teacher, school, module):
    course, quiz = module
    classroom = make_class(school, teacher)
    junior = client.get(f"/classes/{classroom.pk}/modules/?grade_band=junior").content.decode()
    primary = client.get(f"/classes/{classroom.pk}/modules/?grade_band=primary").content.decode()
    assert course.title in junior and course.title not in primary
    assert "质量就在身边（小学）" in primary and "测量与误差（初中）" not in primary
    url = f"/classes/{classroom.pk}/modules/{course.pk}/assign/"
    bad = client.post(
        url,
        {
            "unit": str(quiz.pk),
            "audience": "class",
            "opens_at": "2026-03-10T08:00",
            "due_at": "2026-03-01T08:00",
        },
    )
    assert "截止时间必须晚于开放时间" in bad.content.decode()
    assert not Assignment.objects.exists()
    client.post(
        url,
        {
            "unit": str(quiz.pk),
            "audience": "class",
            "opens_at": "2026-03-10T08:00",
            "due_at": "2026-03-17T22:00",
        },
    )
    assignment = Assignment.objects.get()
    assert assignment.quiz == quiz and assignment.classroom == classroom
    assert timezone.localtime(assignment.due_at).strftime("%m-%d %H:%M") == "03-17 22:00"


def test_a_course_not_for_schools_cannot_be_assigned(client, teacher, school, catalog):
    classroom = make_class(school, teacher)
    adult = catalog.get(slug="iso9001-essentials")
    assert client.get(f"/classes/{classroom.pk}/modules/{adult.pk}/assign/").status_code == 404


def test_dashboard_lists_assignments_with_due_dates_and_overdue_marked(
    client, teacher, school, module
):
    course, quiz = module
    classroom = make_class(school, teacher)
    pupil = make_pupil(school, classroom, real_name="李玥")
    assign(classroom, teacher, course, days=3)
    late = assign(classroom, teacher, course, quiz, days=-1, opened_days_ago=5)
    assign(classroom, teacher, course, quiz, days=10, opened_days_ago=-2)  # not open yet
    client.force_login(pupil)
    html = client.get("/dashboard/").content.decode()
    assert html.count('class="card overdue"') == 1
    assert "已逾期" in html and timezone.localtime(late.due_at).strftime("%Y-%m-%d %H:%M") in html
    assert html.count("assignment-title") == 2


def test_report_statuses_sorting_and_exports(client, teacher, school, module):
    course, quiz = module
    classroom = make_class(school, teacher)
    done = make_pupil(school, classroom, real_name="甲同学")
    stuck = make_pupil(school, classroom, real_name="乙同学")
    make_pupil(school, classroom, real_name="丙同学")
    assign(classroom, teacher, course, quiz)
    for pupil, answers in ((done, RIGHT), (stuck, WRONG)):
        learning.enrol(pupil, course)
        take_quiz(pupil, quiz, answers)

    html = client.get(f"/classes/{classroom.pk}/report/").content.decode()
    assert html.index("乙同学") < html.index("甲同学")  # who needs help comes first
    assert "✗ 未通过" in html and "✓ 通过" in html and "○ 未开始" in html
    by_name = client.get(f"/classes/{classroom.pk}/report/?sort=name").content.decode()
    # By pinyin: bǐng, jiǎ, yǐ (not by character code, which put 乙 before 甲).
    assert by_name.index("丙同学") < by_name.index("甲同学") < by_name.index("乙同学")
    column = Assignment.objects.get().pk
    by_column = client.get(f"/classes/{classroom.pk}/report/?sort=a{column}").content.decode()
    assert by_column.index("乙同学") < by_column.index("丙同学") < by_column.index("甲同学")
    assert 'aria-sort="ascending"' in by_column

    exported = client.get(f"/classes/{classroom.pk}/report.csv")
    assert exported["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["姓名", "用户名"]
    by_pupil = {row[0]: row for row in rows[1:]}
    assert by_pupil["甲同学"][2:4] == ["通过", "100.0"]
    assert by_pupil["乙同学"][2:4] == ["未通过", "0.0"]
    assert by_pupil["丙同学"][2:4] == ["未开始", ""]

    workbook = load_workbook(io.BytesIO(client.get(f"/classes/{classroom.pk}/report.xlsx").content))
    sheet = list(workbook.active.iter_rows(values_only=True))
    assert sheet[1][0] == "乙同学" and sheet[1][2] == "未通过"
    assert client.get(f"/classes/{classroom.pk}/report.pdf").status_code == 404


def test_item_analysis_and_essays_graded_inline(client, teacher, school, tmp_path, catalog):
    course, quiz = school_module(tmp_path, slug="essay-module", gift=ESSAY_GIFT, shuffle=False)
    classroom = make_class(school, teacher)
    assignment = assign(classroom, teacher, course, quiz)
    answers = [("甲", 0, "要保证称量准确。"), ("乙", 2, "不知道"), ("丙", 2, "")]
    for name, choice, essay in answers:
        pupil = make_pupil(school, classroom, real_name=name)
        learning.enrol(pupil, course)
        take_quiz(pupil, quiz, {"q-si": choice, "q-why": essay or None})
    url = f"/classes/{classroom.pk}/assignments/{assignment.pk}/"
    html = client.get(url).content.decode()
    assert "33%" in html and "(1/3)" in html  # one of three chose the right system
    assert "英制" in html and "×2" in html  # the most common wrong answer, twice
    assert "要保证称量准确。" in html

    essay = Response.objects.get(attempt__user__real_name="甲", question_key="q-why")
    response = client.post(
        f"{url}responses/{essay.pk}/grade/",
        {f"r{essay.pk}-score": "80", f"r{essay.pk}-comment": "说得对"},
    )
    assert response["Location"] == url
    essay.refresh_from_db()
    assert essay.credit == Decimal("0.8") and essay.comment == "说得对"
    assert essay.attempt.score == 90 and essay.attempt.passed

    bad = client.post(f"{url}responses/{essay.pk}/grade/", {f"r{essay.pk}-score": "80"})
    assert bad.status_code == 404  # already graded: nothing left to grade there
    other = Response.objects.get(attempt__user__real_name="乙", question_key="q-why")
    client.post(f"{url}responses/{other.pk}/grade/", {f"r{other.pk}-score": "150"})
    other.refresh_from_db()
    assert other.credit is None


def test_archived_class_is_read_only_and_keeps_its_report(client, teacher, school, module):
    course, _ = module
    classroom = make_class(school, teacher)
    make_pupil(school, classroom, real_name="甲同学")
    assign(classroom, teacher, course)
    client.post(f"/classes/{classroom.pk}/archive/")
    classroom.refresh_from_db()
    assert classroom.is_archived
    assert "甲同学" in client.get(f"/classes/{classroom.pk}/report/").content.decode()
    response = client.post(
        f"/classes/{classroom.pk}/modules/{course.pk}/assign/",
        {
            "unit": "course",
            "audience": "class",
            "opens_at": "2026-03-10T08:00",
            "due_at": "2026-03-17T22:00",
        },
        follow=True,
    )
    assert "该班级已归档" in response.content.decode()
    assert classroom.assignments.count() == 1
    listing = client.get("/classes/").content.decode()
    assert "已归档的班级" in listing
    client.post(f"/classes/{classroom.pk}/archive/", {"restore": "1"})
    classroom.refresh_from_db()
    assert not classroom.is_archived


def test_removing_a_pupil_keeps_their_records(client, teacher, school, module):
    course, _ = module
    classroom = make_class(school, teacher)
    pupil = make_pupil(school, classroom)
    learning.enrol(pupil, course)
    client.post(f"/classes/{classroom.pk}/pupils/{pupil.pk}/remove/", {"confirm": "1"})
    assert not classroom.pupils.exists()
    assert pupil.enrolments.count() == 1


def test_an_open_attempt_shows_in_progress(client, teacher, school, module):
    course, quiz = module
    classroom = make_class(school, teacher)
    pupil = make_pupil(school, classroom, real_name="甲同学")
    assign(classroom, teacher, course, quiz, days=1)
    learning.enrol(pupil, course)
    attempts.start_attempt(pupil, quiz)
    html = client.get(f"/classes/{classroom.pk}/report/").content.decode()
    assert "◐ 进行中" in html


def test_personal_data_export_names_the_pupils_classes(client, teacher, school):
    classroom = make_class(school, teacher)
    pupil = make_pupil(school, classroom, real_name="李玥")
    from accounts.services import personal_data

    data = personal_data(pupil)
    assert data["classes"][0]["class"] == classroom.name
    assert data["classes"][0]["school"] == school.name


def test_administrators_find_classes_in_the_wagtail_admin(client, teacher, school):
    make_class(school, teacher, name="初一（1）班")
    admin = make_user(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get("/admin/classrooms/")
    assert response.status_code == 200 and "初一（1）班" in response.content.decode()


def test_a_pupil_who_manages_an_enterprise_still_sees_their_classes(client, teacher, school):
    from tests.accounts.factories import make_organisation

    classroom = make_class(school, teacher)
    parent = make_user(real_name="家长兼经理")
    make_organisation(manager=parent)
    # Someone tied to an enterprise joins by code only once the school has them as a pupil.
    add_member(school, parent, role=Role.LEARNER)
    services.join_classroom(parent, classroom.join_code)
    client.force_login(parent)
    html = client.get("/classes/").content.decode()
    assert classroom.name in html and "用班级码加入班级" in html


def test_pupil_starts_an_assignment_enrolled_as_set_by_the_class(client, teacher, school, module):
    from courses.models import Enrolment, EnrolmentSource

    course, quiz = module
    classroom = make_class(school, teacher)
    pupil = make_pupil(school, classroom)
    outsider = make_pupil(school, real_name="别班学生")
    whole = assign(classroom, teacher, course)
    only_quiz = assign(classroom, teacher, course, quiz)
    later = assign(classroom, teacher, course, opened_days_ago=-1)
    client.force_login(outsider)
    assert client.post(f"/classes/assignments/{whole.pk}/start/").status_code == 404
    client.force_login(pupil)
    assert client.post(f"/classes/assignments/{later.pk}/start/").status_code == 404
    response = client.post(f"/classes/assignments/{whole.pk}/start/")
    assert response["Location"] == course.lessons[0].url
    assert Enrolment.objects.get(user=pupil, course=course).source == EnrolmentSource.CLASS
    response = client.post(f"/classes/assignments/{only_quiz.pk}/start/")
    assert response["Location"] == quiz.url
    dashboard = client.get("/dashboard/").content.decode()
    assert f'action="/classes/assignments/{whole.pk}/start/"' in dashboard


def test_groups_get_their_own_work_and_a_pupil_outside_is_refused(client, teacher, school, module):
    course, _ = module
    classroom = make_class(school, teacher)
    a, b = (
        make_pupil(school, classroom, real_name="甲同学"),
        make_pupil(school, classroom, real_name="乙同学"),
    )
    outsider = make_pupil(school, real_name="别班学生")
    refused = client.post(
        f"/classes/{classroom.pk}/groups/new/", {"name": "阅读小组", "members": [a.pk, outsider.pk]}
    )
    assert f"{outsider.pk} 不是本班学生。" in refused.content.decode()
    assert not classroom.groups.exists()
    client.post(f"/classes/{classroom.pk}/groups/new/", {"name": "阅读小组", "members": [a.pk]})
    group = classroom.groups.get()
    client.post(
        f"/classes/{classroom.pk}/modules/{course.pk}/assign/",
        {
            "unit": "course",
            "audience": "group",
            "group": group.pk,
            "opens_at": "2026-03-10T08:00",
            "due_at": "2030-03-17T22:00",
        },
    )
    assert Assignment.objects.get().group == group
    html = client.get(f"/classes/{classroom.pk}/report/?sort=name").content.decode()
    rows = {row.split("</th>")[0][-3:]: row for row in html.split("<tbody>")[1].split("</tr>")[:2]}
    assert "未开始" in rows["甲同学"] and "未布置给该学生" not in rows["甲同学"]
    assert "未布置给该学生" in rows["乙同学"]
    client.force_login(b)
    assert course.title not in client.get("/dashboard/").content.decode()


def test_co_teachers_can_leave_but_the_last_teacher_stays(client, teacher, school):
    classroom = make_class(school, teacher)
    response = client.post(
        f"/classes/{classroom.pk}/teachers/", {"remove": teacher.pk}, follow=True
    )
    assert "班级至少要有一名教师。" in response.content.decode()
    assert list(classroom.teachers.all()) == [teacher]
    colleague = make_teacher(school, real_name="陈老师")
    classroom.teachers.add(colleague)
    client.post(f"/classes/{classroom.pk}/teachers/", {"remove": colleague.pk})
    assert list(classroom.teachers.all()) == [teacher]


def test_teacher_adds_pupils_of_the_school_but_not_of_another(client, teacher, school):
    classroom = make_class(school, teacher)
    ours = make_pupil(school, real_name="本校学生")
    theirs = make_pupil(make_school("别的学校"), real_name="外校学生")
    page = client.get(f"/classes/{classroom.pk}/pupils/add/").content.decode()
    assert "本校学生" in page and "外校学生" not in page
    refused = client.post(f"/classes/{classroom.pk}/pupils/add/", {"pupils": [theirs.pk]})
    assert f"{theirs.pk} 不是本校学生。" in refused.content.decode()
    client.post(f"/classes/{classroom.pk}/pupils/add/", {"pupils": [ours.pk]})
    assert list(classroom.pupils.values_list("user_id", flat=True)) == [ours.pk]
