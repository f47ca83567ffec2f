"""A streamed export speaks the language of the request that asked for it, header and rows
alike: an English manager got English headers with 进行中 in every status cell."""

import pytest
from django.conf import settings
from django.urls import reverse

from classrooms.models import Assignment
from tests.accounts.factories import add_member, make_organisation, make_user
from tests.certificates.helpers import finish, lessons_course
from tests.sheets import csv_rows, sheet_rows
from tests.training.test_assignments import post_assignment

WORDS = {
    "en": {"header": "Status", "status": "Not started"},
    "zh-hans": {"header": "状态", "status": "未开始"},
}


@pytest.fixture
def enterprise(db, tmp_path):
    manager = make_user("lang-boss", real_name="陈经理")
    organisation = make_organisation(manager=manager)
    course = lessons_course(tmp_path, slug="lang-course")
    member = add_member(organisation, make_user(real_name="刘学员"), department="质检部")
    return manager, member, course


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_staff_assignment_export_is_in_one_language(client, enterprise, language, fmt):
    manager, _member, course = enterprise
    client.force_login(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    post_assignment(client, course)
    assignment = Assignment.objects.get()
    response = client.get(
        reverse("staff_assignment", args=[assignment.pk]),
        {"format": fmt},
    )
    rows = sheet_rows(response, fmt)
    assert WORDS[language]["header"] in rows[0]
    person = next(row for row in rows if row[0] == "刘学员")
    assert person[2] == WORDS[language]["status"]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_staff_list_export_is_in_one_language(client, enterprise, language):
    manager, _member, _course = enterprise
    client.force_login(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("staff_progress"), {"format": "csv"})
    header = csv_rows(response)[0]
    assert header[0] == {"en": "Name", "zh-hans": "姓名"}[language]
    other = "zh-hans" if language == "en" else "en"
    text = "".join(",".join(row) for row in csv_rows(response))
    assert {"en": "姓名", "zh-hans": "Name"}[language] not in text, other


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_chief_quality_officers_standing_is_exported_in_words_of_the_language(
    client, enterprise, language, fmt
):
    manager, member, _course = enterprise
    member.chief_quality_officer = True
    member.save(update_fields=["chief_quality_officer"])
    client.force_login(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    rows = sheet_rows(client.get(reverse("staff_progress"), {"format": fmt}), fmt)
    column = rows[0].index({"en": "Chief quality officer", "zh-hans": "首席质量官"}[language])
    officer = next(row for row in rows if row[0] == "刘学员")
    # No course is required of officers here, so the officer is current.
    assert officer[column] == {"en": "current", "zh-hans": "培训达标"}[language]


LEDGER_HEADER = {
    "en": ["Year", "Course", "Completed", "Training hours", "Certificate number", "Status"],
    "zh-hans": ["年度", "课程", "已完成", "学时", "证书编号", "状态"],
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_ledger_export_names_the_certificates_state_in_the_language(
    client, enterprise, language, fmt
):
    """The status column said ``valid``, the database's code, to readers of both languages."""
    manager, member, course = enterprise
    finish(member.user, course)
    client.force_login(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("staff_ledger", args=[member.pk]), {"format": fmt})
    rows = sheet_rows(response, fmt)
    assert rows[0] == LEDGER_HEADER[language]
    assert rows[1][1] == course.title
    assert rows[1][5] == {"en": "Valid", "zh-hans": "有效"}[language]
