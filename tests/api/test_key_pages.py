"""A manager's key pages: a new key is shown once, the list shows its last use, a key is
revoked after confirming; another organisation's key is not found, and an organisation not
yet verified may not create one."""

import pytest
from django.urls import reverse

from api.models import ApiKey
from tests.api.helpers import call, enterprise, new_key, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client):
    manager, organisation = enterprise()
    client.force_login(manager)
    return client, manager, organisation


def test_the_managers_pages_link_to_the_keys(manager_client):
    client, _manager, _organisation = manager_client
    assert reverse("api_keys") in client.get(reverse("organisation")).content.decode()
    assert reverse("api_keys") in client.get(reverse("staff_progress")).content.decode()


def test_a_new_key_is_shown_once_and_works(manager_client):
    client, manager, organisation = manager_client
    response = client.post(reverse("api_keys"), {"name": "HR 系统每晚同步"})
    assert response.status_code == 200
    whole = response.context["whole"]
    page = response.content.decode()
    assert whole in page and "只显示这一次" in page
    assert "no-store" in response["Cache-Control"]
    key = ApiKey.objects.get()
    assert (key.name, key.organisation, key.created_by) == (
        "HR 系统每晚同步",
        organisation,
        manager,
    )
    listing = client.get(reverse("api_keys")).content.decode()
    assert "HR 系统每晚同步" in listing and key.prefix in listing
    assert whole not in listing and whole.split("_", 2)[2] not in listing
    assert "从未使用" in listing
    assert call(client, whole, "/members").status_code == 200
    key.refresh_from_db()
    listing = client.get(reverse("api_keys")).content.decode()
    assert "从未使用" not in listing
    assert key.last_used_at.astimezone().strftime("%Y-%m-%d") in listing


def test_a_key_needs_a_name(manager_client):
    client, _manager, _organisation = manager_client
    response = client.post(reverse("api_keys"), {"name": "  "})
    assert response.status_code == 200
    (error,) = response.context["form"].errors["name"]
    assert error in response.content.decode()
    assert not ApiKey.objects.exists()


def test_revoking_asks_first_then_the_key_stops_working(manager_client):
    client, manager, organisation = manager_client
    whole = new_key(organisation, manager)
    key = ApiKey.objects.get()
    url = reverse("api_key_revoke", args=[key.pk])
    assert "撤销" in client.get(url).content.decode()
    client.post(url)  # without the confirmation nothing changes
    key.refresh_from_db()
    assert key.revoked_at is None
    response = client.post(url, {"confirm": "1"}, follow=True)
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert "已撤销" in response.content.decode()
    assert call(client, whole, "/members").status_code == 401
    assert client.post(url, {"confirm": "1"}).status_code == 404  # already revoked


def test_another_organisations_key_is_not_found(manager_client):
    client, _manager, _organisation = manager_client
    other_manager, other = enterprise(name="别家公司")
    new_key(other, other_manager, name="别家的钥匙")
    theirs = ApiKey.objects.get(organisation=other)
    url = reverse("api_key_revoke", args=[theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "1"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert "别家的钥匙" not in client.get(reverse("api_keys")).content.decode()


def test_an_unverified_organisation_may_not_create_keys(client):
    manager, _organisation = enterprise(verified=False)
    client.force_login(manager)
    page = client.get(reverse("api_keys")).content.decode()
    assert "等待验证" in page or "尚未" in page
    assert 'name="name"' not in page
    response = client.post(reverse("api_keys"), {"name": "HR"})
    assert response.status_code == 403
    assert not ApiKey.objects.exists()


def test_only_managers_reach_the_key_pages(client):
    _manager, organisation = enterprise()
    member = staff(organisation, "普通员工").user
    client.force_login(member)
    assert client.get(reverse("api_keys")).status_code == 404
    assert client.post(reverse("api_keys"), {"name": "HR"}).status_code == 404
    assert not ApiKey.objects.exists()
