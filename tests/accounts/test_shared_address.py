"""A class behind one school address signs in; one account guessed at is held.

Sign-in limits are strict per account and lenient per address: a computer room, a factory
behind one NAT address, or everybody behind a proxy that is not trusted, is one address.
"""

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client, override_settings

from accounts.models import User
from tests.accounts.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

SCHOOL = "203.0.113.40"
NGINX = "10.0.0.5"
TOO_MANY = "登录失败次数过多"


def make_class_of(count):
    """Pupils as their teacher makes them: a username and no e-mail address."""
    password = make_password(PASSWORD)
    User.objects.bulk_create(
        User(username=f"pupil{n:02d}", real_name="王小明", password=password) for n in range(count)
    )
    return [f"pupil{n:02d}" for n in range(count)]


def sign_in(username, password, **address):
    """One pupil's own browser; the session says whether the sign-in worked."""
    browser = Client(**address)
    response = browser.post("/accounts/login/", {"login": username, "password": password})
    return browser, response


def class_signs_in(addresses):
    """60 pupils in one minute, 10 of them mistyping first; who ends up signed in."""
    pupils = make_class_of(60)
    signed_in = []
    for n, username in enumerate(pupils):
        address = addresses(n)
        if n % 6 == 0:
            browser, response = sign_in(username, "wrong-password", **address)
            assert response.status_code == 200 and "_auth_user_id" not in browser.session
        browser, response = sign_in(username, PASSWORD, **address)
        if response.status_code == 302 and "_auth_user_id" in browser.session:
            signed_in.append(username)
    return pupils, signed_in


def test_a_class_behind_one_school_address_all_sign_in():
    pupils, signed_in = class_signs_in(lambda n: {"REMOTE_ADDR": SCHOOL})
    assert signed_in == pupils


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_class_behind_nginx_all_sign_in_each_from_its_own_address():
    pupils, signed_in = class_signs_in(
        lambda n: {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"}
    )
    assert signed_in == pupils


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_class_behind_nginx_and_one_school_address_all_sign_in():
    pupils, signed_in = class_signs_in(
        lambda n: {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": SCHOOL}
    )
    assert signed_in == pupils


def test_one_account_guessed_at_is_held_and_its_classmates_are_not():
    make_class_of(2)
    for _ in range(5):
        browser, response = sign_in("pupil00", "wrong-password", REMOTE_ADDR=SCHOOL)
        assert TOO_MANY not in response.content.decode()
    # The sixth try within five minutes is refused, even with the right password ...
    browser, response = sign_in("pupil00", PASSWORD, REMOTE_ADDR=SCHOOL)
    assert "_auth_user_id" not in browser.session and TOO_MANY in response.content.decode()
    # ... from any address ...
    browser, response = sign_in("pupil00", PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert "_auth_user_id" not in browser.session and TOO_MANY in response.content.decode()
    # ... while the classmate at the next computer signs in.
    browser, response = sign_in("pupil01", PASSWORD, REMOTE_ADDR=SCHOOL)
    assert "_auth_user_id" in browser.session


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_guesses_at_many_accounts_from_one_address_are_stopped():
    # Lenient is not unlimited: an address trying password after password on account after
    # account is refused before long, and a different client behind the same nginx is not.
    make_class_of(1)
    guesser = {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": "198.51.100.66"}
    refused_at = None
    for n in range(400):
        victim = make_user(f"victim{n}", email="")
        browser, response = sign_in(victim.username, "wrong-password", **guesser)
        if response.status_code == 429 or TOO_MANY in response.content.decode():
            refused_at = n
            break
    assert refused_at is not None and refused_at >= 100
    browser, response = sign_in(
        "pupil00", PASSWORD, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="198.51.100.67"
    )
    assert "_auth_user_id" in browser.session


def test_guesses_by_username_and_by_e_mail_count_for_the_same_account():
    make_user("zhangsan", email="zhang@example.com")
    for login in ("zhangsan", "ZHANG@example.com", "zhang@example.com", "Zhangsan", "zhangsan"):
        browser, response = sign_in(login, "wrong-password", REMOTE_ADDR=SCHOOL)
        assert TOO_MANY not in response.content.decode()
    browser, response = sign_in("zhang@example.com", PASSWORD, REMOTE_ADDR=SCHOOL)
    assert "_auth_user_id" not in browser.session and TOO_MANY in response.content.decode()


def test_a_password_reset_lifts_the_hold_on_the_account(client):
    from django.core import mail

    make_user("zhangsan", email="zhang@example.com")
    for _ in range(5):
        sign_in("zhangsan", "wrong-password", REMOTE_ADDR=SCHOOL)
    client.post("/accounts/password/reset/", {"email": "zhang@example.com"})
    link = next(word for word in mail.outbox[-1].body.split() if "/password/reset/key/" in word)
    page = client.get(link.split("testserver", 1)[-1], follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"password1": "a-new-long-password", "password2": "a-new-long-password"},
    )
    browser, _response = sign_in("zhangsan", "a-new-long-password", REMOTE_ADDR=SCHOOL)
    assert "_auth_user_id" in browser.session
