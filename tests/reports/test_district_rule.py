"""Where each learning record counts, checked on a data set built by hand.

A school in 徐汇区 whose pupils (created by their teacher, no district of their own) finish a
course their class was set; an enterprise in 浦东新区 whose imported staff (no district)
finish a course their manager set; residents of 静安区, one of them also on the Pudong
enterprise's staff, who take a course on their own.
"""

import csv
import importlib
import io
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from accounts.models import District, Role, User
from classrooms.models import Assignment, AssignmentAudience
from courses import services as learning
from courses.models import AttemptStatus, Enrolment, EnrolmentSource, LessonPage, QuizAttempt
from reports import queries
from tests.accounts.factories import add_member, make_organisation, make_user
from tests.certificates.helpers import lessons_course
from tests.classrooms.helpers import assign, make_class, make_pupil, make_school, make_teacher
from tests.courses.learning_helpers import quiz_course
from training import assignments as staff_work

XUHUI, PUDONG, JINGAN = District.XUHUI, District.PUDONG, District.JINGAN


def complete(enrolment):
    for lesson in LessonPage.objects.child_of(enrolment.course).live():
        enrolment = learning.complete_lesson(enrolment, lesson)
    return enrolment


@pytest.fixture
def city(db, client, tmp_path):
    school = make_school()
    school.district = XUHUI
    school.save()
    teacher = make_teacher(school, district=XUHUI)
    classroom = make_class(school, teacher)
    school_course = lessons_course(tmp_path, slug="district-school", title="小小质量员")
    pupils = [make_pupil(school, classroom, real_name=f"学生{n}", email="") for n in range(6)]
    class_work = assign(classroom, teacher, school_course)

    manager = make_user(real_name="陈经理", district=PUDONG)
    enterprise = make_organisation(district=PUDONG, manager=manager)
    staff_course = lessons_course(tmp_path, slug="district-staff", title="班组长质量管理")
    staff = [add_member(enterprise, make_user(real_name=f"员工{n}")).user for n in range(5)]
    now = timezone.now()
    staff_assignment = staff_work.assign(
        enterprise,
        manager,
        course=staff_course,
        opens_at=now - timedelta(days=1),
        due_at=now + timedelta(days=7),
        audience=AssignmentAudience.LEARNERS,
        user_ids=[u.pk for u in staff],
    )

    adult = make_user(real_name="静安居民", district=JINGAN)
    add_member(enterprise, adult, role=Role.LEARNER)
    neighbours = [make_user(real_name=f"邻居{n}", district=JINGAN) for n in range(4)]
    own_course = lessons_course(tmp_path, slug="district-own", title="家庭计量常识")

    # Everyone starts the way the site lets them: pupils and staff from their assignment.
    for pupil in pupils:
        client.force_login(pupil)
        client.post(reverse("assignment_start", args=[class_work.pk]))
        complete(Enrolment.objects.get(user=pupil, course=school_course))
    for person in staff:
        client.force_login(person)
        client.post(reverse("staff_assignment_start", args=[staff_assignment.pk]))
        complete(Enrolment.objects.get(user=person, course=staff_course))
    client.logout()
    for index, person in enumerate([adult, *neighbours]):
        enrolment = learning.enrol(person, own_course)
        if index < 2:
            complete(enrolment)  # only two finish: that figure is withheld
    return {"pupils": pupils, "staff": staff, "adult": adult, "own_course": own_course}


def test_the_learners_have_no_district_of_their_own(city):
    assert {p.district for p in city["pupils"] + city["staff"]} == {""}
    sources = dict(Enrolment.objects.values_list("user_id", "source"))
    assert {sources[p.pk] for p in city["pupils"]} == {EnrolmentSource.CLASS}
    assert {sources[p.pk] for p in city["staff"]} == {EnrolmentSource.ORGANISATION}
    assert sources[city["adult"].pk] == EnrolmentSource.SELF


def test_the_admin_report_counts_each_person_where_the_training_happened(city):
    today = timezone.localdate()
    rows = {row["key"]: row for row in queries.figures(today, today, "district")}
    assert set(rows) == {XUHUI, PUDONG, JINGAN}  # nobody under "not given"
    assert (rows[XUHUI]["learners"], rows[XUHUI]["completions"]) == (6, 6)
    assert (rows[PUDONG]["learners"], rows[PUDONG]["completions"]) == (5, 5)
    assert (rows[JINGAN]["learners"], rows[JINGAN]["completions"]) == (5, 2)
    assert rows[XUHUI]["certificates"] == 6 and rows[PUDONG]["certificates"] == 5
    assert rows[JINGAN]["certificates"] == 2


def test_the_admin_csv_has_the_same_districts(client, city):
    client.force_login(make_user("analyst", is_superuser=True, is_staff=True))
    today = timezone.localdate()
    response = client.get(
        reverse("reports_admin:figures", args=["csv"]),
        {"start": today, "end": today, "by": "district"},
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = {line.split(",")[0]: line for line in text.strip().splitlines()[1:]}
    assert set(lines) == {"徐汇区", "浦东新区", "静安区"}
    assert lines["徐汇区"].startswith("徐汇区,6,6,6,")
    assert lines["浦东新区"].startswith("浦东新区,5,5,5,")


def open_rows(client):
    body = client.get(reverse("open_data_json"), {"year": timezone.localdate().year}).json()
    return {row["district_code"]: row for row in body["rows"] if row["subject"] == "metrology"}


def test_open_data_json_counts_everyone_and_withholds_small_counts(client, city):
    rows = open_rows(client)
    assert set(rows) == {XUHUI, PUDONG, JINGAN}
    xuhui, pudong, jingan = rows[XUHUI], rows[PUDONG], rows[JINGAN]
    assert (xuhui["learners"], xuhui["completions"], xuhui["certificates"]) == (6, 6, 6)
    assert xuhui["training_hours"] > 0
    assert (pudong["learners"], pudong["completions"], pudong["certificates"]) == (5, 5, 5)
    assert jingan["learners"] == 5
    # Two completions and two certificates: withheld.
    assert (jingan["completions"], jingan["training_hours"], jingan["certificates"]) == (
        None,
        None,
        None,
    )


def test_open_data_csv_counts_everyone(client, city):
    response = client.get(reverse("open_data_csv"), {"year": timezone.localdate().year})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {
        row["district_code"]: row
        for row in csv.DictReader(io.StringIO(text))
        if row["subject"] == "metrology"
    }
    assert rows[XUHUI]["district"] == "徐汇区" and rows[XUHUI]["learners"] == "6"
    assert rows[PUDONG]["district"] == "浦东新区" and rows[PUDONG]["completions"] == "5"
    assert rows[JINGAN]["learners"] == "5" and rows[JINGAN]["completions"] == ""


def page_cells(html, district):
    headers = re.findall(r'<th scope="col">([^<]*)</th>', html)
    row = re.search(rf'<tr data-district="{district}">(.*?)</tr>', html, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    return dict(zip(headers[1:], cells, strict=True))


def test_the_public_page_shows_the_same_figures(client, city):
    html = client.get(reverse("open_data")).content.decode()
    assert page_cells(html, XUHUI)["计量"] == "6"
    assert page_cells(html, PUDONG)["计量"] == "5"
    assert page_cells(html, JINGAN)["计量"] == "5"
    assert page_cells(html, District.HUANGPU)["计量"] == "0"
    completions = client.get(reverse("open_data"), {"measure": "completions"}).content.decode()
    assert page_cells(completions, XUHUI)["计量"] == "6"
    assert page_cells(completions, JINGAN)["计量"] == "—"


def test_an_attempt_counts_where_its_enrolment_does(db, tmp_path):
    course, quiz = quiz_course(tmp_path, slug="district-quiz")
    school = make_school()
    school.district = XUHUI
    school.save()
    pupil = make_pupil(school, email="")
    learning.enrol(pupil, course, source=EnrolmentSource.CLASS, organisation=school)
    QuizAttempt.objects.create(
        user=pupil,
        quiz=quiz,
        number=1,
        status=AttemptStatus.FINISHED,
        submitted_at=timezone.now(),
        passed=True,
        score=100,
        snapshot={},
    )
    today = timezone.localdate()
    rows = {row["key"]: row for row in queries.figures(today, today, "district")}
    assert (rows[XUHUI]["attempts"], rows[XUHUI]["pass_rate"]) == (1, 100.0)


def test_a_record_keeps_its_district_when_the_learner_moves(city):
    adult = city["adult"]
    adult.district = District.MINHANG
    adult.save()
    assert Enrolment.objects.get(user=adult).district == JINGAN


def test_a_learner_without_a_district_counts_in_their_first_organisation(db, tmp_path):
    course = lessons_course(tmp_path, slug="district-first")
    first = make_organisation(district=District.BAOSHAN)
    later = make_organisation(district=District.JIADING)
    person = add_member(first, make_user(real_name="无区")).user
    add_member(later, person)
    nobody = make_user(real_name="无组织")
    assert learning.enrol(person, course).district == District.BAOSHAN
    assert learning.enrol(nobody, course).district == ""


def test_the_migration_backfills_existing_enrolments(city):
    backfill = importlib.import_module("courses.migrations.0008_enrolment_district").backfill
    expected = dict(Enrolment.objects.values_list("pk", "district"))
    Enrolment.objects.update(district="")
    # An organisation-set record whose assignment was withdrawn counts in the learner's
    # organisation, even if they have since given a district of their own.
    Assignment.objects.filter(classroom__isnull=True).delete()
    User.objects.filter(pk=city["staff"][0].pk).update(district=District.MINHANG)
    backfill(apps, None)
    backfilled = dict(Enrolment.objects.values_list("pk", "district"))
    assert backfilled == expected


def test_the_learner_export_names_where_each_learners_training_counts_in_pinyin_order(city):
    today = timezone.localdate()
    rows = list(queries.learner_rows(today.replace(month=1, day=1), today))
    district_of = {row[1]: row[2] for row in rows}
    assert {district_of[p.real_name] for p in city["pupils"]} == {"徐汇区"}
    assert {district_of[s.real_name] for s in city["staff"]} == {"浦东新区"}
    assert district_of["静安居民"] == "静安区"
    names = [row[1] for row in rows]
    # 静 jìng, 邻 lín, 学 xué, 员 yuán: by pinyin, where character codes would put 员 (U+5458)
    # before 学 (U+5B66) and 邻 (U+90BB) after both.
    assert (
        names.index("静安居民") < names.index("邻居0") < names.index("学生0") < names.index("员工0")
    )
