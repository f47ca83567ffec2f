import json
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth.models import Group
from django.test import override_settings

from accounts.models import Membership, User
from cms.setup import EDITORS
from tests.accounts.factories import PASSWORD, add_member, make_organisation, make_user

pytestmark = pytest.mark.django_db


def sign_in(client, user, password=PASSWORD):
    return client.post("/accounts/login/", {"login": user.username, "password": password})


def reauthenticate(client, password=PASSWORD):
    """Export and deletion ask for the password again, however recent the sign-in."""
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302


def test_export_and_delete_ask_for_the_password_again(client):
    me = make_user()
    sign_in(client, me)
    for path in ("/accounts/profile/export/", "/accounts/profile/delete/"):
        assert client.get(path)["Location"].startswith("/accounts/reauthenticate/")


def test_export_holds_my_data_and_nobody_elses(client):
    me = make_user(real_name="王喆", email="wz@example.com", district="310104")
    add_member(make_organisation(name="上海示范厂"), me, department="质检部")
    make_user(real_name="别人", email="other@example.com")
    sign_in(client, me)
    reauthenticate(client)
    response = client.get("/accounts/profile/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["account"]["real_name"] == "王喆"
    assert data["account"]["district"] == "310104"
    assert data["memberships"][0]["organisation"] == "上海示范厂"
    assert "别人" not in response.content.decode()
    assert "other@example.com" not in response.content.decode()


def test_delete_account_removes_the_person(client):
    me = make_user()
    membership = add_member(make_organisation(), me)
    sign_in(client, me)
    reauthenticate(client)
    response = client.post("/accounts/profile/delete/", {"confirm": "删除"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=me.pk).exists()
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert client.get("/accounts/profile/").status_code == 302


def test_delete_needs_the_confirmation_word(client):
    me = make_user()
    sign_in(client, me)
    reauthenticate(client)
    response = client.post("/accounts/profile/delete/", {"confirm": "yes"})
    assert response.status_code == 200
    assert User.objects.filter(pk=me.pk).exists()


def test_pupil_with_teacher_set_password_must_change_it_first(client):
    pupil = make_user("p1-001", email="", password="kx7m-p3qa-w9", must_change_password=True)
    assert sign_in(client, pupil, "kx7m-p3qa-w9").status_code == 302
    for path in ("/", "/courses/", "/accounts/profile/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == "/accounts/password/change/"
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "kx7m-p3qa-w9",
            "password1": "my-own-secret-42",
            "password2": "my-own-secret-42",
        },
    )
    assert response.status_code == 302
    pupil.refresh_from_db()
    assert not pupil.must_change_password
    assert client.get("/courses/").status_code == 200


def current_code(secret, steps_back=0):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 - steps_back))


@pytest.fixture
def editor():
    user = make_user("editor1", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@override_settings(STAFF_TWO_FACTOR_REQUIRED=True)
def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, catalog, editor):
    sign_in(client, editor)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


@override_settings(STAFF_TWO_FACTOR_REQUIRED=True)
def test_admin_opens_only_after_signing_in_with_the_code(client, catalog, editor):
    secret = generate_totp_secret()
    TOTP.activate(editor, secret)
    response = sign_in(client, editor)
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert client.get("/admin/").status_code == 302  # not yet: password alone is not enough
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@override_settings(STAFF_TWO_FACTOR_REQUIRED=True)
@pytest.mark.parametrize(("steps_back", "accepted"), [(1, True), (2, False)])
def test_a_code_read_just_before_its_step_ended_still_signs_in(
    client, catalog, editor, steps_back, accepted
):
    """Typed from a phone as its 30 seconds ran out, a code arrives one step late: accepted.
    A code two steps old (a minute) is refused and the admin stays shut."""
    secret = generate_totp_secret()
    TOTP.activate(editor, secret)
    sign_in(client, editor)
    client.post("/accounts/2fa/authenticate/", {"code": current_code(secret, steps_back)})
    assert (client.get("/admin/").status_code == 200) is accepted


@override_settings(STAFF_TWO_FACTOR_REQUIRED=True)
def test_a_session_without_the_second_factor_is_signed_out_of_the_admin(client, catalog, editor):
    TOTP.activate(editor, generate_totp_secret())
    client.force_login(editor)  # as if the authenticator was added after signing in
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/admin/pages/")
    assert "_auth_user_id" not in client.session


@override_settings(STAFF_TWO_FACTOR_REQUIRED=True)
def test_the_way_back_to_the_admin_cannot_carry_a_next_of_its_own(client, catalog, editor):
    TOTP.activate(editor, generate_totp_secret())
    client.force_login(editor)
    response = client.get("/admin/pages/x&next=https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == (
        "/accounts/login/?next=/admin/pages/x%26next%3Dhttps%3A//evil.example/"
    )


def test_development_relaxes_two_factor_and_says_so(client, catalog, editor):
    page = client.get("/accounts/login/?next=/admin/")
    assert "开发模式" in page.content.decode()
    assert "开发模式" not in client.get("/accounts/login/").content.decode()
    sign_in(client, editor)
    assert client.get("/admin/").status_code == 200


def test_production_settings_require_two_factor():
    from tests.cms.test_settings import PRODUCTION, run_manage

    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.STAFF_TWO_FACTOR_REQUIRED)",
        env_extra=PRODUCTION,
    )
    assert result.stdout.strip().splitlines()[-1] == "True", result.stderr


@pytest.fixture
def others_certificate(catalog, tmp_path):
    from certificates.models import Certificate
    from tests.certificates.helpers import finish, lessons_course

    holder = make_user(real_name="持证人")
    finish(holder, lessons_course(tmp_path))
    return Certificate.objects.get(user=holder)


@pytest.fixture
def administrator():
    return make_user("boss", is_staff=True, is_superuser=True)


@override_settings(STAFF_TWO_FACTOR_REQUIRED=True)
def test_staff_without_the_second_factor_reach_no_staff_only_page(
    client, others_certificate, administrator
):
    """Not the certificate PDFs of others, not even the site's ordinary pages: a staff
    session proven by the password alone can only set up its second factor or sign out."""
    pdf = f"/certificates/{others_certificate.pk}/pdf/"
    sign_in(client, administrator)  # no authenticator yet: the password signs in
    for path in (pdf, "/dashboard/", "/courses/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/accounts/2fa/totp/activate/", path
    assert client.get("/accounts/2fa/totp/activate/").status_code in (200, 302)

    TOTP.activate(administrator, generate_totp_secret())
    client.force_login(administrator)  # a session that predates the authenticator
    response = client.get(pdf)
    assert response["Location"] == f"/accounts/login/?next={pdf}"
    assert "_auth_user_id" not in client.session


@override_settings(STAFF_TWO_FACTOR_REQUIRED=True)
def test_staff_signed_in_with_the_code_reach_the_certificates_of_others(
    client, others_certificate, administrator
):
    secret = generate_totp_secret()
    TOTP.activate(administrator, secret)
    response = sign_in(client, administrator)
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    response = client.get(f"/certificates/{others_certificate.pk}/pdf/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get("/admin/").status_code == 200


@override_settings(STAFF_TWO_FACTOR_REQUIRED=True)
def test_learners_are_not_asked_for_a_second_factor(client, catalog):
    me = make_user()
    sign_in(client, me)
    assert client.get("/dashboard/").status_code == 200
