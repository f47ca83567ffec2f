"""Who is signed in, read on every request with a kept statement (accounts/backends.py):
the same person the ORM would find, in one statement, and nobody once an administrator
switches the account off or deletes it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.accounts.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def signed_in(client, login):
    assert (
        client.post("/accounts/login/", {"login": login, "password": PASSWORD}).status_code == 302
    )
    return client.get("/accounts/profile/")


@pytest.mark.parametrize("by", ["username", "email"])
def test_each_request_knows_who_signed_in_and_reads_them_once(client, by):
    make_user("other-learner", real_name="钱二")
    user = make_user("wang-wu", real_name="王五")
    response = signed_in(client, getattr(user, by))
    assert response.status_code == 200 and response.context["user"] == user
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/accounts/profile/").context["user"].real_name == "王五"
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "accounts_user"' in q["sql"]]
    assert len(reads) == 1, reads


def test_an_account_switched_off_or_deleted_is_signed_out_on_its_next_request(client):
    user = make_user("zhao-liu", real_name="赵六")
    signed_in(client, user.username)
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get("/accounts/profile/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    user.is_active = True
    user.save(update_fields=["is_active"])
    signed_in(client, user.username)
    user.delete()
    response = client.get("/accounts/profile/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
