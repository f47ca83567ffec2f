"""Cursor pages walk every record once; updated_since narrows to changes; bad values are
told clearly; the number of queries does not grow with the organisation."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Membership, User
from accounts.services import remove_member, update_membership
from tests.api.helpers import call, enterprise, new_key, staff
from tests.certificates.helpers import finish, lessons_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    manager, organisation = enterprise()
    return manager, organisation, new_key(organisation, manager)


def walk(client, key, path, cursor=None, **params):
    seen, pages = [], 0
    while True:
        body = call(client, key, path, **params, **({"cursor": cursor} if cursor else {})).json()
        seen += body["items"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return seen, pages


def test_a_walk_sees_every_member_exactly_once(client, company):
    _manager, organisation, key = company
    for n in range(24):
        staff(organisation, f"员工{n}")
    # Several people joining in the same instant: the id breaks the tie.
    Membership.objects.filter(organisation=organisation).update(joined_at=timezone.now())
    seen, pages = walk(client, key, "/members", limit=7)
    ids = [m["id"] for m in seen]
    assert sorted(ids) == sorted(organisation.memberships.values_list("pk", flat=True))
    assert len(ids) == len(set(ids)) == 25 and pages == 4


def test_someone_joining_during_a_walk_is_met_at_its_end(client, company):
    _manager, organisation, key = company
    for n in range(5):
        staff(organisation, f"员工{n}")
    first = call(client, key, "/members", limit=3).json()
    staff(organisation, "新来的")
    rest, _pages = walk(client, key, "/members", limit=3, cursor=first["next_cursor"])
    names = [m["name"] for m in first["items"] + rest]
    assert len(names) == len(set(names)) == 7 and names[-1] == "新来的"


def test_updated_since_gives_only_the_changes(client, company, tmp_path):
    _manager, organisation, key = company
    old = staff(organisation, "老员工")
    month_ago = timezone.now() - timedelta(days=30)
    Membership.objects.filter(organisation=organisation).update(
        joined_at=month_ago, updated_at=month_ago
    )
    since = (timezone.now() - timedelta(days=1)).isoformat()
    staff(organisation, "新员工")
    names = [m["name"] for m in call(client, key, "/members", updated_since=since).json()["items"]]
    assert names == ["新员工"]
    # The ledger counts a completed course as a change of the person's record.
    finish(old.user, lessons_course(tmp_path, slug="paging-course"))
    ledger = call(client, key, "/ledger", updated_since=since).json()["items"]
    assert {r["name"] for r in ledger} == {"新员工", "老员工"}
    certificates = call(client, key, "/certificates", updated_since=since).json()["items"]
    assert [c["holder_name"] for c in certificates] == ["老员工"]
    later = (timezone.now() + timedelta(minutes=1)).isoformat()
    assert call(client, key, "/certificates", updated_since=later).json()["items"] == []


def test_a_change_of_department_or_role_is_a_change_and_a_departure_is_listed(client, company):
    _manager, organisation, key = company
    moved = staff(organisation, "调岗的")
    leaving = staff(organisation, "离职的")
    staff(organisation, "没变的")
    month_ago = timezone.now() - timedelta(days=30)
    Membership.objects.filter(organisation=organisation).update(
        joined_at=month_ago, updated_at=month_ago
    )
    since = (timezone.now() - timedelta(minutes=1)).isoformat()
    assert call(client, key, "/members", updated_since=since).json()["items"] == []
    update_membership(moved, role=moved.role, department="仓储部", staff_number="S-9")
    left_id = leaving.pk
    remove_member(leaving)
    changed = call(client, key, "/members", updated_since=since).json()["items"]
    assert [(m["name"], m["department"]) for m in changed] == [("调岗的", "仓储部")]
    gone = call(client, key, "/departures", updated_since=since).json()["items"]
    assert [d["member_id"] for d in gone] == [left_id]
    # Another organisation's key sees none of this organisation's departures.
    other_manager, other = enterprise("另一家公司")
    assert call(client, new_key(other, other_manager), "/departures").json()["items"] == []


@pytest.mark.parametrize(
    "value", ["yesterday", "2026-12-01", "2026-12-01T00:00:00", "2026-13-01T00:00:00+08:00", ""]
)
def test_a_bad_updated_since_is_explained(client, company, value):
    _manager, _organisation, key = company
    response = call(client, key, "/members", updated_since=value)
    assert response.status_code == 422
    assert "updated_since" in response.json()["detail"]


def test_an_unencoded_plus_in_the_offset_is_read_as_meant(client, company):
    _manager, _organisation, key = company
    response = client.get(
        "/api/v1/members?updated_since=2020-01-01T00:00:00+08:00",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200 and len(response.json()["items"]) == 1
    zulu = call(client, key, "/members", updated_since="2999-01-01T00:00:00Z")
    assert zulu.status_code == 200 and zulu.json()["items"] == []


def test_bad_cursors_and_limits_are_explained(client, company):
    _manager, _organisation, key = company
    for cursor in ["abc", "!!!", "eyJhIjoxfQ"]:
        response = call(client, key, "/members", cursor=cursor)
        assert response.status_code == 400 and "游标" in response.json()["detail"], cursor
    for limit in [0, 1001, -5]:
        response = call(client, key, "/members", limit=limit)
        assert response.status_code == 422 and "limit" in response.json()["detail"]
    assert call(client, key, "/members", limit="many").status_code == 422


def add_people(organisation, count, tag):
    users = User.objects.bulk_create(
        User(username=f"{tag}{n}", real_name=f"员工{n}", password="!") for n in range(count)
    )
    Membership.objects.bulk_create(
        Membership(user=u, organisation=organisation, department=f"部门{n % 5}")
        for n, u in enumerate(users)
    )


def queries_for(client, key, path):
    call(client, key, path, limit=1000)  # warm the site's caches
    with CaptureQueriesContext(connection) as ctx:
        response = call(client, key, path, limit=1000)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.json()["items"])


@pytest.mark.parametrize(
    ("path", "few_rows", "many_rows"),
    [("/members", 10, 1000), ("/ledger", 10, 1000), ("/certificates", 3, 6)],
)
def test_the_query_count_is_the_same_for_10_and_1000_members(
    client, company, tmp_path, path, few_rows, many_rows
):
    _manager, organisation, key = company
    course = lessons_course(tmp_path, slug="count-course")
    add_people(organisation, 9, "few")
    for m in organisation.memberships.order_by("pk")[1:4]:
        finish(m.user, course)
    few, listed = queries_for(client, key, path)
    assert listed == few_rows
    add_people(organisation, 990, "many")
    for m in organisation.memberships.order_by("-pk")[:3]:
        finish(m.user, course)
    many, listed = queries_for(client, key, path)
    assert listed == many_rows
    assert many == few
