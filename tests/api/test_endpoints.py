"""What an organisation's systems read: members, the ledger, assignments with statuses,
certificates and the catalog; only ever their own organisation's, and every read of
personal data logged like a download."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from classrooms.models import LearnerStatus
from reports.models import ExportRecord
from tests.accounts.factories import add_member, make_user
from tests.api.helpers import call, enterprise, new_key, staff
from tests.certificates.helpers import finish, lessons_course
from tests.classrooms.helpers import assign, make_class, make_pupil, make_school, make_teacher
from training import assignments as staff_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tmp_path):
    manager, organisation = enterprise()
    course = lessons_course(tmp_path, slug="api-course")
    done = staff(organisation, "刘完成", staff_number="A001")
    staff(organisation, "赵未学", department="装配车间")
    finish(done.user, course)
    _other_manager, other = enterprise(name="别家公司")
    stranger = staff(other, "外人")
    finish(stranger.user, course)
    return {
        "manager": manager,
        "organisation": organisation,
        "course": course,
        "done": done,
        "other": other,
        "stranger": stranger,
        "key": new_key(organisation, manager),
    }


def test_members_are_the_organisations_own_with_role_and_department(client, world):
    response = call(client, world["key"], "/members")
    assert "刘完成".encode() in response.content  # UTF-8, not \u escapes
    items = response.json()["items"]
    by_name = {m["name"]: m for m in items}
    assert set(by_name) == {"陈经理", "刘完成", "赵未学"}
    assert by_name["刘完成"]["staff_number"] == "A001"
    assert by_name["赵未学"]["department"] == "装配车间"
    assert by_name["陈经理"]["role"] == "manager" and by_name["刘完成"]["role"] == "learner"
    one = call(client, world["key"], f"/members/{world['done'].pk}").json()
    assert one["name"] == "刘完成" and one["classes"] == []


def test_the_ledger_gives_each_persons_hours(client, world):
    response = call(client, world["key"], "/ledger")
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == timezone.localdate().year
    rows = {r["name"]: r for r in body["items"]}
    assert rows["刘完成"]["hours_year"] == 1.0 and rows["刘完成"]["hours_total"] == 1.0
    assert rows["刘完成"]["completed"] == 1 and rows["刘完成"]["certificates_in_force"] == 1
    assert rows["赵未学"]["hours_year"] == 0 and rows["赵未学"]["completed"] == 0
    last_year = call(client, world["key"], "/ledger", year=body["year"] - 1).json()
    assert {r["name"]: r["hours_year"] for r in last_year["items"]}["刘完成"] == 0


def test_a_persons_ledger_names_courses_and_a_working_verification_url(client, world):
    ledger = call(client, world["key"], f"/members/{world['done'].pk}/ledger").json()
    (year,) = ledger["years"]
    (course,) = year["courses"]
    certificate = Certificate.objects.get(user=world["done"].user)
    assert course["title"] == world["course"].title and year["hours"] == 1.0
    assert course["certificate"]["number"] == certificate.number
    url = course["certificate"]["verify_url"]
    assert url.startswith("http://testserver/") and certificate.code in url
    assert client.get(url.removeprefix("http://testserver")).status_code == 200


def test_certificates_are_the_members_with_their_verification_url(client, world):
    items = call(client, world["key"], "/certificates").json()["items"]
    (item,) = items  # the other organisation's holder is not listed
    certificate = Certificate.objects.get(user=world["done"].user)
    assert item["number"] == certificate.number and item["member_id"] == world["done"].pk
    assert item["state"] == "valid" and item["hours"] == 1.0
    assert item["verify_url"].endswith(reverse("certificate_verify", args=[certificate.code]))


def test_another_organisations_ids_are_not_found(client, world):
    key = world["key"]
    stranger = world["stranger"]
    work = staff_work.assign(
        world["other"],
        None,
        course=world["course"],
        opens_at=timezone.now(),
        due_at=timezone.now() + timedelta(days=7),
        audience="staff",
    )
    for path in [
        f"/members/{stranger.pk}",
        f"/members/{stranger.pk}/ledger",
        f"/assignments/{work.pk}",
        "/members/999999",
    ]:
        response = call(client, key, path)
        assert response.status_code == 404, path
        assert set(response.json()) == {"detail"}
    assert call(client, key, "/members/not-a-number").status_code == 422
    assert work.pk not in {a["id"] for a in call(client, key, "/assignments").json()["items"]}
    assert not ExportRecord.objects.filter(subjects=stranger.user).exists()


def test_staff_assignments_list_each_persons_status(client, world):
    now = timezone.now()
    work = staff_work.assign(
        world["organisation"],
        world["manager"],
        course=world["course"],
        opens_at=now - timedelta(days=1),
        due_at=now + timedelta(days=7),
        audience="staff",
    )
    listed = call(client, world["key"], "/assignments").json()["items"]
    assert [(a["id"], a["audience"], a["course"]["title"]) for a in listed] == [
        (work.pk, "staff", world["course"].title)
    ]
    body = call(client, world["key"], f"/assignments/{work.pk}").json()
    statuses = {p["name"]: p["status"] for p in body["people"]}
    assert statuses == {"刘完成": LearnerStatus.COMPLETED, "赵未学": LearnerStatus.NOT_STARTED}
    record = ExportRecord.objects.get(what="api.assignment")
    assert {u.real_name for u in record.subjects.all()} == {"刘完成", "赵未学"}


def test_a_school_sees_classes_and_class_assignments(client, tmp_path):
    school = make_school()
    manager = make_user(real_name="校长")
    add_member(school, manager, role="manager")
    teacher = make_teacher(school)
    classroom = make_class(school, teacher)
    pupil = make_pupil(school, classroom, real_name="王小明")
    course = lessons_course(tmp_path, slug="school-api")
    work = assign(classroom, teacher, course)
    finish(pupil, course)
    key = new_key(school, manager)
    members = {m["name"]: m for m in call(client, key, "/members").json()["items"]}
    assert members["王小明"]["classes"] == [
        {"id": classroom.pk, "name": classroom.name, "role": "pupil"}
    ]
    assert members["周老师"]["classes"][0]["role"] == "teacher"
    body = call(client, key, f"/assignments/{work.pk}").json()
    assert body["assignment"]["classroom"] == {"id": classroom.pk, "title": classroom.name}
    assert [(p["name"], p["status"]) for p in body["people"]] == [("王小明", "completed")]


def test_calls_with_personal_data_are_recorded_with_their_subjects(client, world):
    call(client, world["key"], "/ledger")
    record = ExportRecord.objects.get()
    assert record.what == "api.ledger" and record.user == world["manager"]
    assert record.parameters["key"] in world["key"]
    assert record.rows == 3
    assert set(record.subjects.all()) == {m.user for m in world["organisation"].memberships.all()}
    call(client, world["key"], "/catalog")
    assert ExportRecord.objects.count() == 1  # the catalog holds nobody's data


def test_the_catalog_lists_live_public_courses(client, world):
    items = call(client, world["key"], "/catalog", limit=1000).json()["items"]
    found = {c["title"]: c for c in items}
    assert world["course"].title in found
    course = found[world["course"].title]
    assert course["url"].startswith("http://") and course["hours"] == 1.0
    world["course"].unpublish()
    items = call(client, world["key"], "/catalog", limit=1000).json()["items"]
    assert world["course"].title not in {c["title"] for c in items}
