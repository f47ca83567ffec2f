"""Administrators' figures and learner exports: names and course titles that look like
formulas are written as text."""

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrolment
from tests.accounts.factories import make_user
from tests.certificates.helpers import lessons_course
from tests.sheets import FORMULA_NAME, assert_neutralised_csv, assert_neutralised_xlsx


@pytest.fixture
def admin_client(client, db, tmp_path):
    course = lessons_course(tmp_path, slug="formula-report", title=FORMULA_NAME)
    Enrolment.objects.create(user=make_user(real_name=FORMULA_NAME), course=course)
    client.force_login(make_user("sheet-analyst", is_superuser=True, is_staff=True))
    today = timezone.localdate()
    return client, {"start": today.replace(month=1, day=1), "end": today, "by": "course"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("export", ["reports_admin:learners", "reports_admin:figures"])
def test_admin_exports_neutralise_names_and_titles(admin_client, export, fmt):
    client, query = admin_client
    response = client.get(reverse(export, args=[fmt]), query)
    assert response.status_code == 200
    (assert_neutralised_csv if fmt == "csv" else assert_neutralised_xlsx)(response)
