"""Date and time fields in every language render the one value format browsers accept.

A Chinese page rendered ``2026/01/01`` into ``<input type=date>``, which a browser shows as
an empty field: the period was invisible and each change of grouping forced retyping.
"""

import re
from datetime import date, datetime

import pytest
from django.http import QueryDict
from django.utils import timezone, translation

from certificates.forms import ExportForm
from classrooms.forms import AssignmentForm, ClassroomForm
from reports.forms import PeriodForm
from tests.classrooms.helpers import make_class, make_school, make_teacher, school_module
from training.forms import StaffAssignmentForm

LANGUAGES = ["zh-hans", "en"]


def value_of(html, name):
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    return re.search(r'type="([^"]+)"', tag).group(1), re.search(r'value="([^"]*)"', tag).group(1)


@pytest.mark.parametrize("language", LANGUAGES)
def test_report_period_shows_iso_dates(language):
    # Changing only the grouping keeps the default period, which must stay visible.
    today = timezone.localdate()
    with translation.override(language):
        html = str(PeriodForm(QueryDict("by=subject")))
    assert value_of(html, "start") == ("date", f"{today.year}-01-01")
    assert value_of(html, "end") == ("date", today.isoformat())


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_certificate_export_dates_are_iso(language):
    with translation.override(language):
        html = str(ExportForm(initial={"issued_from": date(2026, 12, 1)}))
    assert value_of(html, "issued_from") == ("date", "2026-12-01")


def _aware(*args):
    return timezone.make_aware(datetime(*args))


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_assignment_times_are_iso(language, tmp_path):
    school = make_school()
    classroom = make_class(school, make_teacher(school))
    course, _quiz = school_module(tmp_path)
    initial = {"opens_at": _aware(2026, 12, 7, 8, 0), "due_at": _aware(2026, 12, 14, 22, 0)}
    with translation.override(language):
        class_form = str(AssignmentForm(classroom=classroom, course=course, initial=initial))
        staff_form = str(StaffAssignmentForm(organisation=school, initial=initial))
    for html in (class_form, staff_form):
        assert value_of(html, "opens_at") == ("datetime-local", "2026-12-07T08:00")
        assert value_of(html, "due_at") == ("datetime-local", "2026-12-14T22:00")


@pytest.mark.django_db
@pytest.mark.parametrize("order", [["en", "zh-hans"], ["zh-hans", "en"]])
def test_class_form_grades_follow_each_requests_language(order):
    school = make_school()
    expected = {"en": "Year 2", "zh-hans": "2 年级"}
    for language in order:
        with translation.override(language):
            html = str(ClassroomForm(school=school))
        assert expected[language] in html, language
