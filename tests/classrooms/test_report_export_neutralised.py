"""The class report's CSV and XLSX: a pupil's name or a course title in a column header that
looks like a formula is written as text."""

import pytest

from courses.models import CoursePage
from tests.classrooms.helpers import (
    assign,
    make_class,
    make_pupil,
    make_school,
    make_teacher,
    school_module,
)
from tests.sheets import (
    FORMULA_NAME,
    assert_neutralised_csv,
    assert_neutralised_xlsx,
    csv_rows,
    xlsx_cells,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_url(client, catalog, tmp_path):
    school = make_school()
    teacher = make_teacher(school)
    course, quiz = school_module(tmp_path, slug="formula-module")
    CoursePage.objects.filter(pk=course.pk).update(title=FORMULA_NAME)
    classroom = make_class(school, teacher)
    make_pupil(school, classroom, real_name=FORMULA_NAME)
    assign(classroom, teacher, CoursePage.objects.get(pk=course.pk), quiz)
    client.force_login(teacher)
    return f"/classes/{classroom.pk}/report"


def test_the_csv_report_neutralises_names_and_headers(client, report_url):
    response = client.get(f"{report_url}.csv")
    assert_neutralised_csv(response)
    header = csv_rows(response)[0]
    assert header[2].startswith("'" + FORMULA_NAME)


def test_the_xlsx_report_stores_names_and_headers_as_text(client, report_url):
    response = client.get(f"{report_url}.xlsx")
    assert_neutralised_xlsx(response)
    header = [cell for cell in xlsx_cells(response) if cell.row == 1]
    assert header[2].value.startswith("'" + FORMULA_NAME) and header[2].data_type == "s"
