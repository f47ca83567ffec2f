"""A kept PostgreSQL connection is checked before each request's first query without a
round trip while it is quiet (serving/postgresql): a connection the server ended while idle
is still replaced, so the request that follows a restart is served, not failed."""

import time

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections

from accounts.models import User
from serving.postgresql.base import DatabaseWrapper
from tests.accounts.factories import make_user

pytestmark = [
    pytest.mark.skipif(not settings.IS_POSTGRES, reason="the check is PostgreSQL's backend"),
    # Outside a test transaction: the check is for a connection idle between requests.
    pytest.mark.django_db(transaction=True),
]


def before_a_request():
    """What Django does when a request starts on a kept connection with health checks on."""
    connection.health_check_enabled = True
    connection.health_check_done = False
    connection.close_if_health_check_failed()


def other_connection():
    params = connection.get_connection_params()
    return psycopg.connect(**params, autocommit=True)


def wait_until_readable(seconds=5):
    """The server's notice reaches the socket a moment after it is sent."""
    deadline = time.monotonic() + seconds
    while connection.connection.pgconn.socket and time.monotonic() < deadline:
        if not connection._quiet_and_idle():
            return
        time.sleep(0.02)
    raise AssertionError("nothing reached the connection's socket")


def test_a_quiet_idle_connection_is_kept_without_a_round_trip(monkeypatch):
    assert isinstance(connections["default"], DatabaseWrapper)
    make_user(real_name="周一")
    kept = connection.connection

    def no_round_trip(self):
        raise AssertionError("SELECT 1 sent to a quiet connection")

    monkeypatch.setattr(DatabaseWrapper, "is_usable", no_round_trip)
    before_a_request()
    assert connection.connection is kept and connection.health_check_done
    assert User.objects.filter(real_name="周一").exists()


def test_a_connection_the_server_ended_while_idle_is_replaced():
    make_user(real_name="吴二")
    ended = connection.connection.info.backend_pid
    with other_connection() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [ended])
    wait_until_readable()
    before_a_request()
    # The next query opens a new connection instead of failing the request.
    assert User.objects.filter(real_name="吴二").exists()
    assert connection.connection.info.backend_pid != ended


def test_something_to_read_on_a_healthy_connection_is_settled_by_a_round_trip():
    # A notification makes the socket readable without anything being wrong: Django's own
    # check runs and keeps the connection.
    with connection.cursor() as cursor:
        cursor.execute("LISTEN quality_academy_test")
    kept_pid = connection.connection.info.backend_pid
    with other_connection() as other:
        other.execute("NOTIFY quality_academy_test")
    wait_until_readable()
    before_a_request()
    assert connection.connection is not None
    assert connection.connection.info.backend_pid == kept_pid
