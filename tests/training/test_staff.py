import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from certificates.models import Certificate
from courses.models import CoursePage
from reports.models import ExportRecord
from tests.accounts.factories import add_member, make_organisation, make_user
from tests.certificates.helpers import finish, lessons_course


@pytest.fixture
def enterprise(db, tmp_path):
    manager = make_user("boss", real_name="陈经理")
    organisation = make_organisation(manager=manager, name="上海测试精工有限公司")
    course = lessons_course(tmp_path, slug="staff-course")
    return manager, organisation, course


def staff_member(organisation, name, department="质检部"):
    return add_member(organisation, make_user(real_name=name), department=department)


def test_the_staff_list_shows_progress_hours_and_certificates(client, enterprise):
    manager, organisation, course = enterprise
    done = staff_member(organisation, "刘完成")
    staff_member(organisation, "赵未学", department="装配车间")
    finish(done.user, course)
    client.force_login(manager)
    page = client.get(reverse("staff_progress")).content.decode()
    assert "刘完成" in page and "赵未学" in page
    response = client.get(reverse("staff_progress"), {"department": "装配车间"})
    rows = {r.user.real_name: r for r in response.context["rows"]}
    assert set(rows) == {"赵未学"}
    rows = {r.user.real_name: r for r in client.get(reverse("staff_progress")).context["rows"]}
    assert (rows["刘完成"].completed, rows["刘完成"].certificates) == (1, 1)
    assert rows["刘完成"].hours_year == 1


def test_staff_list_queries_do_not_grow_with_staff(client, enterprise):
    manager, organisation, course = enterprise
    client.force_login(manager)

    def count():
        client.get(reverse("staff_progress"))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("staff_progress")).status_code == 200
        return len(ctx.captured_queries)

    member = staff_member(organisation, "一号")
    finish(member.user, course)
    Membership.objects.filter(pk=member.pk).update(chief_quality_officer=True)
    few = count()
    for n in range(45):
        staff_member(organisation, f"员工{n}", department=f"部门{n % 4}")
    assert count() == few
    assert few <= 14


def test_chief_quality_officer_is_current_only_with_required_certificates(client, enterprise):
    manager, organisation, course = enterprise
    officer = staff_member(organisation, "周首席")
    client.force_login(manager)
    client.post(reverse("staff_cqo", args=[officer.pk]), {"value": "1"})
    officer.refresh_from_db()
    assert officer.chief_quality_officer

    CoursePage.objects.filter(pk=course.pk).update(required_of_chief_quality_officers=True)
    row = client.get(reverse("staff_progress")).context["rows"]
    row = next(r for r in row if r.membership == officer)
    assert not row.cqo_current and [c.pk for c in row.cqo_missing] == [course.pk]

    finish(officer.user, course)
    row = next(
        r for r in client.get(reverse("staff_progress")).context["rows"] if r.membership == officer
    )
    assert row.cqo_current

    Certificate.objects.filter(user=officer.user).update(
        expires_on=timezone.localdate().replace(year=2020)
    )
    row = next(
        r for r in client.get(reverse("staff_progress")).context["rows"] if r.membership == officer
    )
    assert not row.cqo_current  # an expired certificate does not keep an officer current


def test_exports_are_recorded_and_contain_the_rows(client, enterprise):
    manager, organisation, course = enterprise
    finish(staff_member(organisation, "刘完成").user, course)
    client.force_login(manager)
    response = client.get(reverse("staff_progress"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "刘完成" in text and text.splitlines()[0].startswith("姓名")
    record = ExportRecord.objects.get()
    assert record.what == "staff.csv"
    assert record.rows == organisation.memberships.count()
    assert set(record.subjects.all()) == {m.user for m in organisation.memberships.all()}
    xlsx = client.get(reverse("staff_progress"), {"format": "xlsx"})
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"


def test_a_person_and_their_manager_see_the_ledger(client, enterprise):
    manager, organisation, course = enterprise
    member = staff_member(organisation, "刘完成")
    finish(member.user, course)
    certificate = Certificate.objects.get(user=member.user)
    client.force_login(manager)
    page = client.get(reverse("staff_ledger", args=[member.pk])).content.decode()
    assert certificate.number in page and course.title in page
    client.force_login(member.user)
    mine = client.get(reverse("my_ledger")).content.decode()
    assert certificate.number in mine
    csv = client.get(reverse("my_ledger"), {"format": "csv"})
    assert certificate.number in b"".join(csv.streaming_content).decode("utf-8-sig")


def test_other_organisations_people_are_404(client, enterprise):
    manager, _organisation, _course = enterprise
    other_manager = make_user("other-boss")
    other = make_organisation(manager=other_manager)
    stranger = staff_member(other, "外单位")
    client.force_login(manager)
    assert client.get(reverse("staff_ledger", args=[stranger.pk])).status_code == 404
    assert client.post(reverse("staff_cqo", args=[stranger.pk]), {"value": "1"}).status_code == 404
    stranger.refresh_from_db()
    assert not stranger.chief_quality_officer
    assert client.get(reverse("staff_ledger", args=[999999])).status_code == 404


def test_learners_and_teachers_are_not_managers(client, enterprise):
    _manager, organisation, _course = enterprise
    learner = staff_member(organisation, "普通员工").user
    client.force_login(learner)
    assert client.get(reverse("staff_progress")).status_code == 404
    teacher = add_member(make_organisation(), role=Role.TEACHER).user
    client.force_login(teacher)
    assert client.get(reverse("staff_progress")).status_code == 404
