"""The class report's export speaks the language of the request: header, statuses and all."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.classrooms.helpers import (
    assign,
    make_class,
    make_pupil,
    make_school,
    make_teacher,
    school_module,
)
from tests.sheets import sheet_rows

WORDS = {
    "en": {"name": "Name", "status": "Status", "overdue": "Overdue", "help": "Needs help"},
    "zh-hans": {"name": "姓名", "status": "状态", "overdue": "已逾期", "help": "需要帮助"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_class_report_export_is_in_one_language(client, tmp_path, language, fmt):
    course, _quiz = school_module(tmp_path, slug="export-language")
    school = make_school()
    teacher = make_teacher(school)
    classroom = make_class(school, teacher)
    make_pupil(school, classroom, real_name="王小明")
    overdue = assign(classroom, teacher, course, days=-1, opened_days_ago=5)
    client.force_login(teacher)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("classroom_report_export", args=[classroom.pk, fmt]))
    rows = sheet_rows(response, fmt)
    words = WORDS[language]
    assert rows[0][0] == words["name"] and rows[0][-1] == words["help"]
    column = rows[0].index(f"{overdue.title} · {words['status']}")
    assert rows[1][0] == "王小明"
    assert rows[1][column] == words["overdue"]
