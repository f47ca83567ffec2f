"""The administration's exports speak the language of the request, header and group names
alike; the open data's CSV is a published contract and reads the same in both."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import District
from tests.accounts.factories import make_user
from tests.certificates.helpers import finish, lessons_course
from tests.sheets import body, sheet_rows

pytestmark = pytest.mark.django_db

WORDS = {
    "en": {"group": "Group", "username": "Username", "district": "Minhang District"},
    "zh-hans": {"group": "分组", "username": "用户名", "district": "闵行区"},
}


@pytest.fixture
def administrator(client, tmp_path):
    finish(make_user("minhang-learner", district=District.MINHANG), lessons_course(tmp_path))
    client.force_login(make_user("figures-admin", is_superuser=True, is_staff=True))
    return client


def period(by="district"):
    return {"start": f"{timezone.localdate().year}-01-01", "end": timezone.localdate(), "by": by}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_figures_export_is_in_one_language(administrator, language, fmt):
    administrator.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = administrator.get(reverse("reports_admin:figures", args=[fmt]), period())
    rows = sheet_rows(response, fmt)
    assert rows[0][0] == WORDS[language]["group"]
    assert [row[0] for row in rows[1:]] == [WORDS[language]["district"]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_learners_export_is_in_one_language(administrator, language, fmt):
    administrator.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = administrator.get(reverse("reports_admin:learners", args=[fmt]), period())
    rows = sheet_rows(response, fmt)
    assert rows[0][0] == WORDS[language]["username"]
    learner = next(row for row in rows if row[0] == "minhang-learner")
    assert learner[2] == WORDS[language]["district"]


def test_the_open_data_csv_reads_the_same_in_both_languages(administrator):
    """Its columns are keys a program reads (district_code, learners, ...), not labels."""
    files = {}
    for language in ("en", "zh-hans"):
        administrator.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        files[language] = body(administrator.get(reverse("open_data_csv")))
    assert files["en"] == files["zh-hans"]
    assert files["en"].decode("utf-8-sig").startswith("district_code,")
