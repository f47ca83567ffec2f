"""Staff exports: a name, department or course title that looks like a formula stays text."""

import pytest
from django.urls import reverse

from classrooms.models import Assignment
from tests.accounts.factories import add_member, make_organisation, make_user
from tests.certificates.helpers import finish, lessons_course
from tests.sheets import FORMULA_NAME, assert_neutralised_csv, assert_neutralised_xlsx
from tests.training.test_assignments import post_assignment

DEPARTMENT = "@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.fixture
def enterprise(db, tmp_path):
    manager = make_user("sheet-boss", real_name="陈经理")
    organisation = make_organisation(manager=manager)
    course = lessons_course(tmp_path, slug="formula-course", title=FORMULA_NAME)
    member = add_member(organisation, make_user(real_name=FORMULA_NAME), department=DEPARTMENT)
    finish(member.user, course)
    return manager, member, course


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_staff_list_export_neutralises_names_and_departments(client, enterprise, fmt):
    manager, _member, _course = enterprise
    client.force_login(manager)
    response = client.get(reverse("staff_progress"), {"format": fmt})
    check = assert_neutralised_csv if fmt == "csv" else assert_neutralised_xlsx
    check(response)
    check(response, DEPARTMENT)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_ledger_export_neutralises_course_titles(client, enterprise, fmt):
    manager, member, _course = enterprise
    client.force_login(manager)
    response = client.get(reverse("staff_ledger", args=[member.pk]), {"format": fmt})
    (assert_neutralised_csv if fmt == "csv" else assert_neutralised_xlsx)(response)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_assignment_status_export_neutralises_names(client, enterprise, fmt):
    manager, _member, course = enterprise
    client.force_login(manager)
    post_assignment(client, course)
    assignment = Assignment.objects.get()
    response = client.get(reverse("staff_assignment", args=[assignment.pk]), {"format": fmt})
    check = assert_neutralised_csv if fmt == "csv" else assert_neutralised_xlsx
    check(response)
    check(response, DEPARTMENT)
