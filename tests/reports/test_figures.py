"""Every report figure checked against a small data set built by hand."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import District, OrganisationKind, OrganisationSize
from certificates.models import Certificate
from courses.models import AttemptStatus, Enrolment, QuizAttempt
from reports import queries
from reports.models import ExportRecord
from tests.accounts.factories import add_member, make_organisation, make_user
from tests.courses.learning_helpers import quiz_course

YEAR = 2026
START, END = date(YEAR, 1, 1), date(YEAR, 12, 31)


def at(month, day=10):
    return timezone.make_aware(datetime(YEAR, month, day, 10, 0))


@pytest.fixture
def city(db, tmp_path):
    """Two districts; a micro enterprise in 黄浦 with two learners, a medium one in 浦东 with
    one; a course of 1 hour with a quiz (A) and one of 1 hour (B, certificates off)."""
    course_a, quiz_a = quiz_course(tmp_path, slug="report-a")
    course_b, _quiz_b = quiz_course(tmp_path, slug="report-b")
    type(course_b).objects.filter(pk=course_b.pk).update(certificate=False)
    micro = make_organisation(district=District.HUANGPU, size=OrganisationSize.MICRO)
    medium = make_organisation(district=District.PUDONG, size=OrganisationSize.MEDIUM)
    make_organisation(district=District.PUDONG, size=OrganisationSize.SMALL)  # trains nobody

    li = add_member(micro, make_user(real_name="李一", district=District.HUANGPU)).user
    wang = add_member(micro, make_user(real_name="王二", district=District.HUANGPU)).user
    zhang = add_member(medium, make_user(real_name="张三", district=District.PUDONG)).user

    def enrol(user, course, month, completed_month=None):
        enrolment = Enrolment.objects.create(user=user, course=course)
        Enrolment.objects.filter(pk=enrolment.pk).update(
            enrolled_at=at(month),
            completed_at=at(completed_month) if completed_month else None,
        )
        return enrolment

    e_li = enrol(li, course_a, 2, completed_month=3)
    enrol(li, course_b, 4, completed_month=4)
    enrol(wang, course_a, 5)
    e_zhang = enrol(zhang, course_a, 6, completed_month=7)
    enrol(zhang, course_b, 1)
    # Last year's records must not count this year.
    old = add_member(medium, make_user(district=District.PUDONG)).user
    Enrolment.objects.filter(pk=enrol(old, course_a, 1, 1).pk).update(
        enrolled_at=timezone.make_aware(datetime(YEAR - 1, 5, 1)),
        completed_at=timezone.make_aware(datetime(YEAR - 1, 6, 1)),
    )

    for user, passed, month in [
        (li, True, 3),
        (wang, False, 5),
        (wang, False, 5),
        (zhang, True, 7),
    ]:
        number = QuizAttempt.objects.filter(user=user, quiz=quiz_a).count() + 1
        QuizAttempt.objects.create(
            user=user,
            quiz=quiz_a,
            number=number,
            status=AttemptStatus.FINISHED,
            submitted_at=at(month),
            passed=passed,
            score=100 if passed else 20,
            snapshot={},
        )
    for enrolment, month in ((e_li, 3), (e_zhang, 7)):
        Certificate.objects.create(
            user=enrolment.user,
            enrolment=enrolment,
            course=course_a,
            holder_name=enrolment.user.real_name,
            course_title=course_a.title,
            hours=course_a.hours,
            completed_on=date(YEAR, month, 10),
            issuer_name="质量学堂",
            issued_at=at(month),
        )
    return {"course_a": course_a, "course_b": course_b, "micro": micro, "medium": medium}


def by_key(rows):
    return {row["key"]: row for row in rows}


def test_figures_by_district(city):
    rows = by_key(queries.figures(START, END, "district"))
    huangpu, pudong = rows[District.HUANGPU], rows[District.PUDONG]
    assert (huangpu["learners"], huangpu["enrolments"], huangpu["completions"]) == (2, 3, 2)
    assert huangpu["hours"] == Decimal("2.0")
    assert huangpu["certificates"] == 1
    assert (huangpu["attempts"], huangpu["pass_rate"]) == (3, 33.3)
    assert (pudong["learners"], pudong["enrolments"], pudong["completions"]) == (1, 2, 1)
    assert (pudong["certificates"], pudong["attempts"], pudong["pass_rate"]) == (1, 1, 100.0)
    assert set(rows) == {District.HUANGPU, District.PUDONG}


def test_figures_by_course_and_subject(city):
    rows = by_key(queries.figures(START, END, "course"))
    a, b = rows[city["course_a"].pk], rows[city["course_b"].pk]
    assert (a["enrolments"], a["completions"], a["certificates"]) == (3, 2, 2)
    assert (a["attempts"], a["pass_rate"]) == (4, 50.0)
    assert (b["enrolments"], b["completions"], b["certificates"], b["attempts"]) == (2, 1, 0, 0)
    subject = by_key(queries.figures(START, END, "subject"))["metrology"]
    assert (subject["enrolments"], subject["completions"], subject["attempts"]) == (5, 3, 4)


def test_figures_by_enterprise_size_and_industry(city):
    sizes = by_key(queries.figures(START, END, "size"))
    assert sizes[OrganisationSize.MICRO]["completions"] == 2
    assert sizes[OrganisationSize.MEDIUM]["completions"] == 1
    assert by_key(queries.figures(START, END, "industry"))["C"]["enrolments"] == 5


def test_a_period_without_records_is_empty(city):
    assert queries.figures(date(2016, 1, 1), date(2016, 12, 31), "district") == []


def test_small_and_micro_enterprises_reached_per_district(city):
    coverage = by_key(queries.small_enterprise_coverage(START, END))
    assert (coverage[District.HUANGPU]["enterprises"], coverage[District.HUANGPU]["reached"]) == (
        1,
        1,
    )
    # The medium enterprise does not count; the small one in 浦东 trained nobody.
    assert (coverage[District.PUDONG]["enterprises"], coverage[District.PUDONG]["reached"]) == (
        1,
        0,
    )
    assert coverage[District.PUDONG]["share"] == 0.0


def test_course_ranking(city):
    most, least = queries.course_ranking(START, END, least_min=1)
    assert [r["course_id"] for r in most] == [city["course_a"].pk, city["course_b"].pk]
    assert least[0]["course_id"] == city["course_b"].pk and least[0]["rate"] == 50.0


def test_monthly_trend_includes_empty_months(city):
    months = queries.monthly_completions(START, END)
    assert len(months) == 12
    assert [m["value"] for m in months[:7]] == [0, 0, 1, 1, 0, 0, 1]


@pytest.fixture
def reader(client, db):
    client.force_login(make_user("analyst", is_superuser=True, is_staff=True))
    return client


def test_the_admin_report_page_shows_the_figures_and_charts(reader, city):
    page = reader.get(
        reverse("reports_admin:index"), {"start": START, "end": END, "by": "district"}
    ).content.decode()
    assert "黄浦区" in page and "浦东新区" in page
    assert page.count('class="chart"') == 3


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2026-12-01", "end": "2026-01-01", "by": "district"},
        {"start": "2026-13-45", "end": "2026-01-01", "by": "district"},
        {"start": "2026-01-01", "end": "2026-02-01", "by": "shoe-size"},
        {"start": "2999-01-01", "end": "2999-02-01", "by": "district"},
    ],
)
def test_impossible_filters_get_a_message_not_an_error(reader, city, query):
    response = reader.get(reverse("reports_admin:index"), query)
    assert response.status_code == 200
    assert 'class="error-message"' in response.content.decode()
    assert reader.get(reverse("reports_admin:figures", args=["csv"]), query).status_code == 400


def test_csv_export_of_the_figures(reader, city):
    response = reader.get(
        reverse("reports_admin:figures", args=["csv"]),
        {"start": START, "end": END, "by": "district"},
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 3
    assert lines[1].startswith("黄浦区,2,3,2,2.0,1,3,33.3")
    assert not ExportRecord.objects.exists()  # aggregates, not personal data


def test_the_learner_export_is_personal_data_recorded_and_admin_only(reader, client, city):
    response = reader.get(
        reverse("reports_admin:learners", args=["xlsx"]),
        {"start": START, "end": END, "by": "district"},
    )
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    names = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"李一", "王二", "张三"}
    record = ExportRecord.objects.get()
    assert record.username == "analyst" and record.what == "learners.xlsx"
    # Whose data it held, so each of them finds this download in their own data export.
    assert set(record.subjects.values_list("real_name", flat=True)) == names

    from django.contrib.auth.models import Permission

    staff = make_user("editor2", is_staff=True)  # in the admin, without report permissions
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    query = {"start": START, "end": END, "by": "district"}
    # Wagtail turns a refusal into a redirect to the dashboard with a message.
    for url in (reverse("reports_admin:learners", args=["csv"]), reverse("reports_admin:index")):
        response = client.get(url, query)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert ExportRecord.objects.count() == 1


def test_an_unknown_format_is_404(reader, city):
    assert reader.get("/admin/reports/figures.pdf", follow=True).status_code == 404


def test_organisation_kind_is_respected(city):
    school = make_organisation(kind=OrganisationKind.SCHOOL, district=District.HUANGPU)
    pupil = add_member(school, make_user(district=District.HUANGPU)).user
    Enrolment.objects.create(user=pupil, course=city["course_a"])
    sizes = by_key(queries.figures(START, END, "size"))
    # The pupil's enrolment belongs to no enterprise size.
    assert sum(row["enrolments"] for row in sizes.values()) == 5


def test_administrators_read_the_record_of_personal_data_exports(reader, city):
    reader.get(
        reverse("reports_admin:learners", args=["csv"]),
        {"start": START, "end": END, "by": "district"},
    )
    page = reader.get(reverse("reports_admin:export_log")).content.decode()
    assert "analyst" in page and "learners.csv" in page
