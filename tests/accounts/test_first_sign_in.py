"""A pupil's first sign-in: why a new password, no e-mail or two-factor tabs without an
address, then on to 我的学习; a manager confirms before removing a member."""

import pytest

from accounts.models import Membership, User
from tests.accounts.factories import add_member, make_organisation, make_user

pytestmark = pytest.mark.django_db

ONE_TIME = "kx7m-p3qa-w9"


def sign_in(client, username, password):
    return client.post("/accounts/login/", {"login": username, "password": password})


@pytest.fixture
def pupil():
    return make_user("p1-002", email="", password=ONE_TIME, must_change_password=True)


def test_the_forced_password_page_says_why(client, pupil):
    sign_in(client, "p1-002", ONE_TIME)
    page = client.get("/accounts/password/change/").content.decode()
    assert "你的账号是老师用一次性密码创建的" in page
    assert "只有你自己知道" in page


def test_a_pupil_without_an_address_sees_no_email_or_two_factor_tabs(client, pupil):
    sign_in(client, "p1-002", ONE_TIME)
    page = client.get("/accounts/password/change/").content.decode()
    assert 'href="/accounts/email/"' not in page
    assert 'href="/accounts/2fa/"' not in page
    adult = make_user("adult1")
    client.force_login(adult)
    page = client.get("/accounts/password/change/").content.decode()
    assert 'href="/accounts/email/"' in page and 'href="/accounts/2fa/"' in page
    assert "你的账号是老师用一次性密码创建的" not in page


def test_after_choosing_a_password_the_pupil_lands_on_the_dashboard(client, pupil):
    sign_in(client, "p1-002", ONE_TIME)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": ONE_TIME, "password1": "my-own-secret-42", "password2": "my-own-secret-42"},
    )
    assert response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    assert not User.objects.get(pk=pupil.pk).must_change_password


def test_a_later_password_change_stays_on_the_password_page(client):
    user = make_user("adult2")
    sign_in(client, "adult2@example.com", "correct-horse-battery")
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "correct-horse-battery",
            "password1": "another-secret-77",
            "password2": "another-secret-77",
        },
    )
    assert response["Location"] == "/accounts/password/change/"
    assert user.pk


def test_removing_a_member_asks_first(client):
    manager = make_user("boss7")
    organisation = make_organisation(manager=manager)
    member = add_member(organisation, make_user(real_name="钱八"))
    client.force_login(manager)
    url = f"/org/members/{member.pk}/"
    page = client.post(url, {"remove": "1"})
    assert page.status_code == 200 and 'name="confirm"' in page.content.decode()
    assert "钱八" in page.content.decode()
    assert Membership.objects.filter(pk=member.pk).exists()
    client.post(url, {"remove": "1", "confirm": "1"})
    assert not Membership.objects.filter(pk=member.pk).exists()
