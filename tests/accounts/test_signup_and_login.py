import re
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from accounts.models import Membership, User
from tests.accounts.factories import PASSWORD, make_organisation, make_user

pytestmark = pytest.mark.django_db


def signup(client, **overrides):
    data = {
        "email": "wang.kun@example.com",
        "real_name": "王堃",
        "audience": "frontline",
        "district": "310115",
        "invite_code": "",
        "password1": "zhiliang-2026!",
        "password2": "zhiliang-2026!",
    }
    data.update(overrides)
    return client.post("/accounts/signup/", data)


def confirm_from_mail(client):
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group()
    path = link.split("testserver", 1)[-1]
    return client.post(path)


def test_signup_verifies_email_then_lands_signed_in_with_profile(client):
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="wang.kun@example.com")
    assert (user.real_name, user.audience, user.district) == ("王堃", "frontline", "310115")
    assert not EmailAddress.objects.get(user=user).verified
    assert client.get("/accounts/profile/").status_code == 302  # not signed in before verifying

    confirm_from_mail(client)
    assert EmailAddress.objects.get(user=user).verified
    profile = client.get("/accounts/profile/")
    assert profile.status_code == 200
    assert "王堃" in profile.content.decode()


def test_signup_with_invitation_code_joins_the_organisation(client):
    organisation = make_organisation()
    signup(client, invite_code=organisation.invite_code.lower())
    user = User.objects.get(email="wang.kun@example.com")
    assert Membership.objects.filter(user=user, organisation=organisation).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password1": "short1!", "password2": "short1!"}, "10"),
        ({"real_name": "王"}, "2"),
        ({"real_name": "王" * 41}, "40"),
        ({"invite_code": "NOPE1234"}, "邀请码"),
        ({"email": "not-an-email"}, "电子邮件"),
    ],
)
def test_bad_signup_says_what_is_wrong_and_creates_nobody(client, overrides, message):
    response = signup(client, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="wang.kun@example.com").exists()


def test_markup_in_a_name_is_stored_as_text_and_escaped(client):
    user = make_user(real_name="<script>alert(1)</script>李四")
    client.force_login(user)
    html = client.get("/accounts/profile/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;李四" in html
    assert User.objects.get(pk=user.pk).real_name == "<script>alert(1)</script>李四"


def test_sign_in_by_email_or_username(client):
    make_user("zhangsan", email="zhang@example.com")
    for login in ("zhang@example.com", "zhangsan"):
        response = client.post("/accounts/login/", {"login": login, "password": PASSWORD})
        assert response.status_code == 302, login
        client.post("/accounts/logout/")


def test_failed_logins_are_rate_limited(client):
    make_user("target", email="target@example.com")
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": "target", "password": "wrong-pass"})
        assert response.status_code == 200
    # Now even the right password is refused for a while, with a message that says why.
    response = client.post("/accounts/login/", {"login": "target", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "登录失败次数过多" in response.content.decode()
    # Another address for the same account is limited too (per account, not only per IP).
    other_ip = client.post(
        "/accounts/login/", {"login": "target", "password": PASSWORD}, REMOTE_ADDR="10.9.8.7"
    )
    assert "_auth_user_id" not in client.session
    assert other_ip.status_code == 200


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"],
)
def test_signing_in_never_redirects_off_site(client, target):
    make_user("zhangsan")
    response = client.post(
        f"/accounts/login/?next={quote(target)}", {"login": "zhangsan", "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" in client.session


def test_signing_in_returns_to_the_page_asked_for(client):
    make_user("zhangsan")
    response = client.post(
        "/accounts/login/?next=/courses/", {"login": "zhangsan", "password": PASSWORD}
    )
    assert response["Location"] == "/courses/"


def test_logout_ends_the_session(client):
    client.force_login(make_user())
    assert client.get("/accounts/profile/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/accounts/profile/").status_code == 302


def test_password_change_ends_the_other_sessions():
    user = make_user()
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        assert (
            client.post(
                "/accounts/login/", {"login": user.username, "password": PASSWORD}
            ).status_code
            == 302
        )
    response = here.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-long-password",
            "password2": "a-new-long-password",
        },
    )
    assert response.status_code == 302
    assert here.get("/accounts/profile/").status_code == 200
    assert elsewhere.get("/accounts/profile/").status_code == 302


def test_weixin_login_appears_only_when_configured(client):
    from allauth.socialaccount.models import SocialApp

    assert "weixin" not in client.get("/accounts/login/").content.decode().lower()
    SocialApp.objects.create(provider="weixin", name="微信", client_id="wx123", secret="s")
    assert "weixin" in client.get("/accounts/login/").content.decode().lower()
