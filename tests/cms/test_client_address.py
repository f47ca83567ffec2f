"""The client's address behind our own proxies, for every rate limit (ours and allauth's)."""

import pytest
from allauth.account.adapter import get_adapter
from django.test import RequestFactory, override_settings

from serving.ratelimit import client_ip, client_key
from tests.cms.test_settings import PRODUCTION, run_manage

NGINX = "10.0.0.5"


def request(forwarded=None, remote=NGINX):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_proxy_the_header_is_ignored():
    # Development and tests trust no proxy: anyone can send X-Forwarded-For.
    assert client_ip(request("203.0.113.9")) == NGINX


@override_settings(TRUSTED_PROXY_COUNT=1)
@pytest.mark.parametrize(
    ("forwarded", "address"),
    [
        ("203.0.113.9", "203.0.113.9"),
        # Entries a client sends itself come before the one nginx appends: never trusted.
        ("198.51.100.1, 203.0.113.9", "203.0.113.9"),
        ("not-an-address,203.0.113.9", "203.0.113.9"),
        ("2001:db8::7", "2001:db8::7"),
    ],
)
def test_behind_one_proxy_the_address_it_appended_counts(forwarded, address):
    assert client_ip(request(forwarded)) == address


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_second_entry_from_the_right_counts():
    assert client_ip(request("198.51.100.1, 203.0.113.9, 10.0.0.1")) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=2)
@pytest.mark.parametrize("forwarded", [None, "", "203.0.113.9", "garbage, 10.0.0.1"])
def test_a_header_shorter_than_the_proxies_or_unreadable_falls_back_to_the_peer(forwarded):
    assert client_ip(request(forwarded)) == NGINX


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_allauth_takes_the_same_address():
    assert get_adapter().get_client_ip(request("198.51.100.1, 203.0.113.9")) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=3, ALLAUTH_TRUSTED_PROXY_COUNT=3)
def test_allauth_does_not_fail_on_a_short_header():
    # allauth on its own raises ImproperlyConfigured here: a 500 for a request that came
    # round the proxy, e.g. a health check.
    assert get_adapter().get_client_ip(request("203.0.113.9")) == NGINX


PRINT_COUNTS = (
    "from django.conf import settings; "
    "print(settings.TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
)


def test_production_trusts_the_runbooks_nginx_by_default():
    result = run_manage("shell", "-c", PRINT_COUNTS, env_extra=PRODUCTION)
    assert result.stdout.strip().splitlines()[-1] == "1 1", result.stderr


def test_production_takes_the_number_of_proxies_from_the_environment():
    result = run_manage(
        "shell", "-c", PRINT_COUNTS, env_extra={**PRODUCTION, "TRUSTED_PROXY_COUNT": "2"}
    )
    assert result.stdout.strip().splitlines()[-1] == "2 2", result.stderr


@pytest.mark.parametrize("value", ["-1", "one", "²"])
def test_production_refuses_a_number_of_proxies_that_is_not_a_count(value):
    result = run_manage("check", env_extra={**PRODUCTION, "TRUSTED_PROXY_COUNT": value})
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::"),
        ("2001:db8:1:2:ffff:1:2:3", "2001:db8:1:2::"),
    ],
)
def test_per_address_limits_count_an_ipv6_client_by_its_network(address, key):
    assert client_key(request(remote=address)) == key
