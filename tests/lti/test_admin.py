"""The administrator's side: registering a platform in the Wagtail admin and the page of
our tool's addresses to paste into it."""

import pytest
from django.urls import reverse
from lti_tool.models import LtiDeployment, LtiRegistration

from tests.accounts.factories import make_user


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user("ltiadmin", is_superuser=True, is_staff=True))
    return client


def test_the_configuration_page_lists_our_addresses_and_keys(admin_client):
    registration = LtiRegistration.objects.create(
        name="Moodle",
        issuer="https://moodle.school.example",
        client_id="abc",
        auth_url="https://moodle.school.example/mod/lti/auth.php",
        token_url="https://moodle.school.example/mod/lti/token.php",
        keyset_url="https://moodle.school.example/mod/lti/certs.php",
    )
    page = admin_client.get(reverse("lti_configuration"))
    assert page.status_code == 200
    text = page.content.decode()
    for path in ("/lti/login/", "/lti/launch/", "/lti/jwks.json"):
        assert f"http://testserver{path}" in text
    assert f"http://testserver/lti/login/{registration.uuid}/" in text
    assert "RS256" in text


def test_registering_a_platform_and_its_deployment_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("lti_registrations:add"),
        {
            "name": "Moodle of No. 1 Middle School",
            "issuer": "https://moodle.school.example",
            "client_id": "abc",
            "audience": "",
            "auth_url": "https://moodle.school.example/mod/lti/auth.php",
            "token_url": "https://moodle.school.example/mod/lti/token.php",
            "keyset_url": "https://moodle.school.example/mod/lti/certs.php",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    registration = LtiRegistration.objects.get()
    response = admin_client.post(
        reverse("lti_deployments:add"),
        {"registration": registration.pk, "deployment_id": "7", "is_active": "on"},
    )
    assert response.status_code == 302
    assert LtiDeployment.objects.get().deployment_id == "7"


def test_people_without_the_permission_do_not_see_the_configuration(client, db):
    client.force_login(make_user("editor", is_staff=True))
    response = client.get(reverse("lti_configuration"))
    assert response.status_code in (302, 403)
    assert b"/lti/jwks.json" not in response.content
