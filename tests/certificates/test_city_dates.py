"""Certificates carry the city's dates: a course finished at 02:30 on 7 December in Shanghai
(18:30 UTC on the 6th) is completed and issued on the 7th everywhere the dates appear."""

from datetime import UTC, datetime
from unittest import mock

import pytest
from django.urls import reverse

from certificates.models import Certificate
from tests.accounts.factories import make_user
from tests.certificates.helpers import finish, lessons_course

pytestmark = pytest.mark.django_db


def finish_at(moment, tmp_path):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        finish(make_user(real_name="张小三"), lessons_course(tmp_path))
    return Certificate.objects.get()


def test_after_midnight_in_shanghai_the_issue_date_is_the_completion_date(client, tmp_path):
    certificate = finish_at(datetime(2026, 12, 6, 18, 30, tzinfo=UTC), tmp_path)
    url = reverse("certificate_verify", args=[certificate.code])

    facts = client.get(url, {"format": "json"}).json()
    assert facts["completed_on"] == "2026-12-07"
    assert facts["issued_on"] == "2026-12-07"

    page = client.get(url).content.decode()
    assert page.count("2026-12-07") >= 2
    assert "2026-12-06" not in page


def test_the_number_carries_the_year_in_shanghai(tmp_path):
    # 00:30 on 1 January 2027 in Shanghai is still 2026 in UTC.
    certificate = finish_at(datetime(2026, 12, 31, 16, 30, tzinfo=UTC), tmp_path)
    assert certificate.number.startswith("QA2027")
    assert certificate.completed_on.isoformat() == "2027-01-01"


def test_a_revocation_time_is_given_in_the_city_s_offset(client, tmp_path):
    certificate = finish_at(datetime(2026, 12, 6, 18, 30, tzinfo=UTC), tmp_path)
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=datetime(2026, 12, 8, 17, 0, tzinfo=UTC), revocation_reason="重复发证"
    )
    url = reverse("certificate_verify", args=[certificate.code])
    facts = client.get(url, {"format": "json"}).json()
    assert facts["revoked_at"] == "2026-12-09T01:00:00+08:00"
