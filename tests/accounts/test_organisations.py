import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Membership, Organisation, OrganisationKind, Role, User
from tests.accounts.factories import add_member, credit_code, make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    user = make_user(real_name="陈堃")
    organisation = make_organisation(manager=user)
    client.force_login(user)
    return user, organisation


def test_register_an_enterprise_with_a_valid_credit_code(client):
    user = make_user()
    client.force_login(user)
    response = client.post(
        "/org/register/",
        {
            "kind": "enterprise",
            "name": "上海精工量具有限公司",
            "credit_code": "91310115ma1k3q8t26",
            "district": "310115",
            "industry": "C",
            "size": "micro",
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="上海精工量具有限公司")
    assert organisation.credit_code == "91310115MA1K3Q8T26"
    assert Membership.objects.get(user=user, organisation=organisation).role == Role.MANAGER


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91310115MA1K3Q8T27", "校验码不符"),
        ("91310115MA1K3Q8T2", "18 位"),
        ("", "企业必须填写此项"),
    ],
)
def test_registration_refuses_a_bad_credit_code_and_creates_nothing(client, code, message):
    client.force_login(make_user())
    response = client.post(
        "/org/register/",
        {
            "kind": "enterprise",
            "name": "错误代码公司",
            "credit_code": code,
            "district": "310115",
            "industry": "C",
            "size": "micro",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organisation.objects.filter(name="错误代码公司").exists()


def test_a_credit_code_registers_once(client):
    make_organisation(credit_code="91350100M000100Y43")
    client.force_login(make_user())
    response = client.post(
        "/org/register/",
        {
            "kind": "enterprise",
            "name": "重复公司",
            "credit_code": "91350100M000100Y43",
            "district": "310101",
            "industry": "F",
            "size": "small",
        },
    )
    assert "已经注册" in response.content.decode()


def test_join_by_link_and_by_code(client):
    organisation = make_organisation()
    user = make_user()
    client.force_login(user)
    page = client.get(f"/org/join/{organisation.invite_code}/")
    assert organisation.name in page.content.decode()
    client.post(f"/org/join/{organisation.invite_code}/", {"code": organisation.invite_code})
    assert Membership.objects.filter(user=user, organisation=organisation).exists()


def test_closed_or_unknown_code_is_refused_without_naming_anyone(client):
    closed = make_organisation(joining_open=False)
    client.force_login(make_user())
    for code in (closed.invite_code, "ZZZZZZZZ", "x" * 500):
        response = client.post("/org/join/", {"code": code})
        html = response.content.decode()
        assert response.status_code == 200
        assert closed.name not in html
    assert not Membership.objects.filter(organisation=closed).exists()


def test_renewing_the_code_retires_the_old_one(client, manager):
    _, organisation = manager
    old = organisation.invite_code
    client.post("/org/invite/renew/")
    organisation.refresh_from_db()
    assert organisation.invite_code != old


def test_learners_have_no_organisation_page(client):
    organisation = make_organisation()
    member = add_member(organisation)
    client.force_login(member.user)
    assert client.get("/org/").status_code == 404


def test_manager_edits_own_member_but_gets_404_for_another_organisation(client, manager):
    _, organisation = manager
    own = add_member(organisation, department="装配车间")
    other = add_member(make_organisation(), department="质检部")
    response = client.post(
        f"/org/members/{own.pk}/", {"role": "manager", "department": "总装", "staff_number": "A9"}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.role, own.department) == ("manager", "总装")

    assert client.get(f"/org/members/{other.pk}/").status_code == 404
    response = client.post(f"/org/members/{other.pk}/", {"remove": "1", "confirm": "1"})
    assert response.status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()
    assert client.get("/org/members/999999/").status_code == 404


def test_manager_removes_a_member(client, manager):
    _, organisation = manager
    member = add_member(organisation)
    client.post(f"/org/members/{member.pk}/", {"remove": "1", "confirm": "1"})
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert User.objects.filter(pk=member.user_id).exists()


def test_member_list_costs_the_same_with_5_and_50_members(client, manager):
    _, organisation = manager

    def count():
        client.get("/org/")
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/org/")
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    for _ in range(4):
        add_member(organisation)
    few, html = count()
    assert html.count("/org/members/") == 5
    for _ in range(45):
        add_member(organisation)
    many, html = count()
    assert html.count("/org/members/") == 50
    assert few == many


def test_teacher_sees_only_pupils_of_own_school(client):
    school = make_organisation(kind=OrganisationKind.SCHOOL, credit_code=credit_code())
    teacher = make_user()
    add_member(school, teacher, role=Role.TEACHER)
    mine = add_member(
        school,
        make_user(real_name="王小明", email="", created_by_organisation=school),
        staff_number="S1",
    )
    other_school = make_organisation(kind=OrganisationKind.SCHOOL, credit_code=credit_code())
    theirs = add_member(other_school, make_user(real_name="李小红", email=""), staff_number="S1")
    client.force_login(teacher)
    html = client.get("/school/pupils/").content.decode()
    assert "王小明" in html and "李小红" not in html
    assert client.get(f"/school/pupils/{mine.pk}/password/").status_code == 200
    assert client.get(f"/school/pupils/{theirs.pk}/password/").status_code == 404
    old_hash = theirs.user.password
    assert client.post(f"/school/pupils/{theirs.pk}/password/").status_code == 404
    theirs.user.refresh_from_db()
    assert theirs.user.password == old_hash


def test_enterprise_manager_is_not_a_teacher(client, manager):
    assert client.get("/school/pupils/").status_code == 404
