import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import District
from courses.models import Enrolment
from courses.signals import course_completed
from tests.accounts.factories import make_user
from tests.courses.learning_helpers import quiz_course


@pytest.fixture
def course(db, tmp_path):
    return quiz_course(tmp_path, slug="open-data")[0]


def enrol_many(course, district, count, completed=0):
    for index in range(count):
        user = make_user(district=district)
        enrolment = Enrolment.objects.create(user=user, course=course)
        if index < completed:
            enrolment.completed_at = timezone.now()
            enrolment.save()


def rows(client, **query):
    return {
        row["district_code"]: row
        for row in client.get(reverse("open_data_json"), query).json()["rows"]
        if row["subject"] == "metrology"
    }


def test_groups_under_five_people_are_withheld(client, course):
    enrol_many(course, District.HUANGPU, 6, completed=3)
    enrol_many(course, District.JINGAN, 4, completed=4)
    data = rows(client)
    huangpu, jingan = data[District.HUANGPU], data[District.JINGAN]
    assert huangpu["learners"] == 6
    assert huangpu["completions"] is None  # 3 people: withheld
    assert huangpu["training_hours"] is None
    assert all(jingan[f] is None for f in ("learners", "completions", "training_hours"))


def test_figures_follow_the_records(client, course):
    enrol_many(course, District.XUHUI, 5)
    assert rows(client)[District.XUHUI]["completions"] == 0
    for enrolment in Enrolment.objects.filter(user__district=District.XUHUI):
        enrolment.completed_at = timezone.now()
        enrolment.save()
        course_completed.send(sender=Enrolment, enrolment=enrolment)
    assert rows(client)[District.XUHUI]["completions"] == 5
    assert rows(client)[District.XUHUI]["training_hours"] == 5.0
    enrol_many(course, District.XUHUI, 2)
    assert rows(client)[District.XUHUI]["learners"] == 7


def test_csv_has_the_same_rows_with_blanks_for_withheld(client, course):
    enrol_many(course, District.HUANGPU, 6, completed=3)
    response = client.get(reverse("open_data_csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *lines = text.strip().splitlines()
    assert (
        header
        == "district_code,district,subject,subject_name,learners,completions,training_hours,certificates"
    )
    metrology = next(line for line in lines if ",metrology," in line)
    assert metrology.startswith(f"{District.HUANGPU},黄浦区,metrology,")
    assert metrology.endswith(",6,,,0")  # zero reveals no one; 1 to 4 would


def test_no_name_or_account_appears(client, course):
    enrol_many(course, District.HUANGPU, 6, completed=6)
    body = client.get(reverse("open_data_json")).content.decode()
    assert "张三" not in body and "user" not in body


@pytest.mark.parametrize("year", ["1999", "abc", "99999999999999999999", "2999"])
def test_an_impossible_year_is_a_clear_400(client, db, year):
    response = client.get(reverse("open_data_json"), {"year": year})
    assert response.status_code == 400 and "year" in response.json()["error"]
    assert client.get(reverse("open_data_csv"), {"year": year}).status_code == 400


def test_a_year_filters(client, course):
    enrol_many(course, District.HUANGPU, 5, completed=5)
    assert rows(client, year="2016") == {}


def test_a_lesson_visit_does_not_recompute_open_data(client, course):
    from reports.open_data import VERSION_KEY

    enrol_many(course, District.XUHUI, 5)
    rows(client)
    version = cache.get(VERSION_KEY)
    enrolment = Enrolment.objects.filter(user__district=District.XUHUI).first()
    enrolment.last_activity_at = timezone.now()
    enrolment.save()  # what recording a visit does
    assert cache.get(VERSION_KEY) == version
