"""Keys: without a valid, active key nothing is read; a key's use is noted; each key has its
own rate limit."""

import pytest

from accounts.models import Membership, Organisation, Role, VerificationStatus
from accounts.services import delete_account
from api import keys
from api.models import ApiKey
from tests.api.helpers import call, enterprise, new_key, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    manager, organisation = enterprise()
    staff(organisation, "刘员工")
    return manager, organisation, new_key(organisation, manager)


def refused(response):
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "API key" in response.json()["detail"] or "Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"] == "Bearer"
    return True


def test_a_valid_key_reads_and_its_use_is_noted(client, setting):
    _manager, _organisation, key = setting
    assert ApiKey.objects.get().last_used_at is None
    response = call(client, key, "/members")
    assert response.status_code == 200
    assert "刘员工" in {m["name"] for m in response.json()["items"]}
    assert ApiKey.objects.get().last_used_at is not None


def test_missing_malformed_and_unknown_keys_are_refused(client, setting):
    _manager, _organisation, key = setting
    assert refused(client.get("/api/v1/members"))
    assert refused(client.get("/api/v1/members", HTTP_AUTHORIZATION=key))  # no scheme
    prefix = key.split("_")[1]
    for wrong in [
        "nonsense",
        f"qa_{prefix}_wrong-secret",
        key[:-1] + "x",
        f"qa_ffffffff_{'a' * 43}",
    ]:
        assert refused(client.get("/api/v1/members", HTTP_AUTHORIZATION=f"Bearer {wrong}")), wrong
    assert ApiKey.objects.get().last_used_at is None


def test_a_revoked_key_is_refused(client, setting):
    _manager, _organisation, key = setting
    assert call(client, key, "/members").status_code == 200
    keys.revoke(ApiKey.objects.get())
    assert refused(call(client, key, "/members"))
    assert refused(call(client, key, "/catalog"))


def test_the_secret_is_kept_only_as_a_hash(setting):
    _manager, _organisation, key = setting
    secret = key.split("_", 2)[2]
    row = ApiKey.objects.values().get()
    assert all(secret not in str(value) for value in row.values())
    assert len(row["secret_hash"]) == 64


def test_deleting_the_creators_account_revokes_their_keys(client, setting):
    manager, organisation, key = setting
    other_manager = staff(organisation, "副经理", role="manager").user
    kept = new_key(organisation, other_manager, name="另一个系统")
    delete_account(manager)
    row = ApiKey.objects.get(name="HR 系统")
    assert row.revoked_at is not None and row.created_by is None
    assert refused(call(client, key, "/members"))
    assert call(client, kept, "/members").status_code == 200


def test_a_key_stops_working_when_its_creator_leaves_or_loses_the_role(client, setting):
    manager, organisation, key = setting
    assert call(client, key, "/members").status_code == 200
    membership = Membership.objects.get(user=manager, organisation=organisation)
    membership.role = Role.LEARNER
    membership.save(update_fields=["role"])
    assert refused(call(client, key, "/members"))
    membership.role = Role.MANAGER
    membership.save(update_fields=["role"])
    assert call(client, key, "/members").status_code == 200
    membership.delete()
    assert refused(call(client, key, "/members"))


def test_a_key_stops_working_while_its_organisation_is_not_verified(client, setting):
    _manager, organisation, key = setting
    Organisation.objects.filter(pk=organisation.pk).update(
        verification=VerificationStatus.PENDING, verified_at=None, verified_by=None
    )
    assert refused(call(client, key, "/members"))


def test_each_key_is_rate_limited_with_retry_after(client, setting, settings):
    manager, organisation, key = setting
    settings.API_RATE_LIMIT = (3, 60)
    other = new_key(organisation, manager, name="第二个")
    for _n in range(3):
        assert call(client, key, "/catalog").status_code == 200
    response = call(client, key, "/catalog")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "try again" in response.json()["detail"] or "秒" in response.json()["detail"]
    assert call(client, other, "/catalog").status_code == 200  # its own count


def test_personal_data_export_lists_the_keys_a_person_made(setting):
    from accounts.services import personal_data

    manager, _organisation, _key = setting
    (entry,) = personal_data(manager)["api_keys_created"]
    assert entry["name"] == "HR 系统" and entry["prefix"] == ApiKey.objects.get().prefix
    assert entry["revoked_at"] is None
