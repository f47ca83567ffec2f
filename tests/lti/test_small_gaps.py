"""The launch address opened directly, who may frame a launch's answer, and the pruning of
used nonces."""

import html
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from lti_tool.models import LtiRegistration

from lti.models import UsedNonce
from tests.accounts.factories import make_user

pytestmark = pytest.mark.django_db


def zh(text):
    with translation.override("zh-hans"):
        return html.escape(str(translation.gettext(text)))


def test_opening_the_launch_address_explains_where_to_start(client):
    response = client.get("/lti/launch/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert zh("Start from your learning platform") in response.content.decode()


def test_only_registered_platforms_may_frame_a_launch_answer(client):
    LtiRegistration.objects.create(
        name="Moodle",
        issuer="https://moodle.school.example",
        client_id="abc",
        auth_url="https://login.school.example/mod/lti/auth.php",
        token_url="https://moodle.school.example/mod/lti/token.php",
        keyset_url="https://moodle.school.example/mod/lti/certs.php",
        is_active=True,
    )
    LtiRegistration.objects.create(
        name="Old Canvas",
        issuer="https://canvas.old.example",
        client_id="def",
        auth_url="https://canvas.old.example/auth",
        token_url="https://canvas.old.example/token",
        keyset_url="https://canvas.old.example/jwks",
        is_active=False,
    )
    response = client.post("/lti/launch/", {})  # refused: incomplete
    assert response.status_code == 403
    policy = response["Content-Security-Policy"]
    ancestors = next(p for p in policy.split(";") if "frame-ancestors" in p).split()[1:]
    assert sorted(ancestors) == ["https://login.school.example", "https://moodle.school.example"]
    assert "X-Frame-Options" not in response
    # The site's other pages still refuse every frame.
    assert "frame-ancestors 'none'" in client.get("/").headers["Content-Security-Policy"]


def test_without_platforms_nobody_may_frame_a_launch_answer(client):
    response = client.post("/lti/launch/", {})
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_pruning_deletes_the_nonces_of_expired_tokens_only(client):
    now = timezone.now()
    rows = {
        "expired": now - timedelta(minutes=10),
        "just-expired": now - timedelta(minutes=1),  # within the clock margin: kept
        "live": now + timedelta(minutes=4),
    }
    for nonce, expires_at in rows.items():
        UsedNonce.objects.create(issuer="https://p.example", nonce=nonce, expires_at=expires_at)
    UsedNonce.objects.create(issuer="https://p.example", nonce="undated-old")
    UsedNonce.objects.create(issuer="https://p.example", nonce="undated-new")
    UsedNonce.objects.filter(nonce="undated-old").update(used_at=now - timedelta(days=2))

    call_command("prune_lti_nonces", verbosity=0)

    assert sorted(UsedNonce.objects.values_list("nonce", flat=True)) == [
        "just-expired",
        "live",
        "undated-new",
    ]


def test_the_passback_page_is_for_administrators_only(client, admin_client):
    client.force_login(make_user(real_name="钱七"))
    assert client.get("/admin/lti/passbacks/").status_code in (302, 403)
    page = admin_client.get("/admin/lti/passbacks/")
    assert page.status_code == 200
    assert zh("No scores have been passed back yet.") in page.content.decode()
