"""The teacher's module browser: each module's grades, the class's own grade first, guides."""

import re

import pytest

from courses.package.services import import_packages
from tests.classrooms.helpers import make_class, make_pupil, make_school, make_teacher
from tests.courses.test_teacher_guide import school_package
from tests.factories import write_package

pytestmark = pytest.mark.django_db


@pytest.fixture
def modules(catalog, tmp_path):
    for slug, title, grades in [
        ("lower-module", "低年级模块", (1, 2)),
        ("upper-module", "高年级模块", (5, 6)),
    ]:
        import_packages(
            [write_package(tmp_path, school_package(slug=slug, grades=grades, title=title))]
        )


def section(html, css):
    match = re.search(rf'<div class="card-grid modules {css}">(.*?)</div>\s*</section>', html, re.S)
    return match.group(1) if match else ""


def test_a_grade_two_class_sees_its_modules_first_with_grades_and_guides(client, modules):
    school = make_school()
    teacher = make_teacher(school)
    classroom = make_class(school, teacher, name="二（1）班", grade_band="primary", grade=2)
    client.force_login(teacher)
    html = client.get(f"/classes/{classroom.pk}/modules/").content.decode()
    suited, others = section(html, "suited"), section(html, "others")
    assert "适合本班（2 年级）" in html
    assert "低年级模块" in suited and "小学1–2年级" in suited
    assert "高年级模块" in others and "小学5–6年级" in others
    assert "高年级模块" not in suited
    # The existing primary module is written for grades 3 to 6: not this class's.
    assert "质量就在身边" in others and "质量就在身边" not in suited
    assert "/courses/lower-module/teacher-guide/" in suited
    assert html.index("低年级模块") < html.index("高年级模块")


def test_another_stage_is_listed_without_the_class_grade_heading(client, modules):
    school = make_school()
    teacher = make_teacher(school)
    classroom = make_class(school, teacher, grade_band="junior", grade=2)
    client.force_login(teacher)
    html = client.get(f"/classes/{classroom.pk}/modules/?grade_band=primary").content.decode()
    assert "适合本班" not in html
    assert "低年级模块" in section(html, "others") and "高年级模块" in section(html, "others")


def test_a_pupil_cannot_browse_the_modules(client, modules):
    school = make_school()
    teacher = make_teacher(school)
    classroom = make_class(school, teacher, grade_band="primary", grade=2)
    client.force_login(make_pupil(school, classroom))
    assert client.get(f"/classes/{classroom.pk}/modules/").status_code == 404
