"""The class's item analysis follows the quiz's review policy, a teacher never grades their own
attempt, and a pending school neither grades nor sees answer keys."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import ImportBatch, Organisation, User, VerificationStatus
from classrooms.models import ClassPupil
from courses import services as learning
from courses.models import Response
from tests.classrooms.helpers import (
    assign,
    make_class,
    make_pupil,
    make_school,
    make_teacher,
    school_module,
)
from tests.classrooms.test_services import take_quiz

pytestmark = pytest.mark.django_db

GIFT = """\
::q-si:: 我国法定计量单位以哪一种单位制为基础？ {=国际单位制 ~市制 ~英制}

::q-why:: 用自己的话说说为什么要校准电子秤。 {}
"""


@pytest.fixture
def school():
    return make_school()


@pytest.fixture
def teacher(client, school):
    user = make_teacher(school)
    client.force_login(user)
    return user


def _quiz_with_answers(tmp_path, school, teacher, review, slug):
    course, quiz = school_module(tmp_path, slug=slug, gift=GIFT, shuffle=False, review=review)
    classroom = make_class(school, teacher)
    assignment = assign(classroom, teacher, course, quiz)
    for name, choice in (("甲", 0), ("乙", 2), ("丙", 2)):
        pupil = make_pupil(school, classroom, real_name=name)
        learning.enrol(pupil, course)
        take_quiz(pupil, quiz, {"q-si": choice, "q-why": "因为要准确。"})
    return classroom, assignment


def test_a_never_review_quiz_gives_no_key_away_in_the_item_analysis(
    client, teacher, school, tmp_path, catalog
):
    classroom, assignment = _quiz_with_answers(tmp_path, school, teacher, "never", "secret-exam")
    html = client.get(f"/classes/{classroom.pk}/assignments/{assignment.pk}/").content.decode()
    assert "我国法定计量单位" in html  # the questions are listed …
    assert "国际单位制" not in html  # … but not the right answer,
    assert "英制" not in html and "×2" not in html  # nor the wrong answers chosen,
    assert "33%" not in html and "(1/3)" not in html  # nor the share right per question.
    assert "不会泄露答案" in html  # and the page says why


def test_an_after_pass_quiz_keeps_its_key_too(client, teacher, school, tmp_path, catalog):
    classroom, assignment = _quiz_with_answers(tmp_path, school, teacher, "after_pass", "pass-k")
    html = client.get(f"/classes/{classroom.pk}/assignments/{assignment.pk}/").content.decode()
    assert "国际单位制" not in html and "33%" not in html


def test_an_after_submit_quiz_shows_the_full_analysis(client, teacher, school, tmp_path, catalog):
    classroom, assignment = _quiz_with_answers(tmp_path, school, teacher, "after_submit", "open-k")
    html = client.get(f"/classes/{classroom.pk}/assignments/{assignment.pk}/").content.decode()
    assert "国际单位制" in html and "33%" in html and "英制" in html


def test_a_teacher_cannot_grade_their_own_attempt(client, teacher, school, tmp_path, catalog):
    course, quiz = school_module(tmp_path, slug="own-essay", gift=GIFT, shuffle=False)
    classroom = make_class(school, teacher)
    assignment = assign(classroom, teacher, course, quiz)
    # A teacher who also sits in the class (they were a pupil before they taught there).
    ClassPupil.objects.create(classroom=classroom, user=teacher)
    learning.enrol(teacher, course)
    take_quiz(teacher, quiz, {"q-si": 0, "q-why": "我自己的答案"})
    own = Response.objects.get(attempt__user=teacher, question_key="q-why")

    url = f"/classes/{classroom.pk}/assignments/{assignment.pk}/"
    assert "我自己的答案" not in client.get(url).content.decode()
    response = client.post(f"{url}responses/{own.pk}/grade/", {f"r{own.pk}-score": "100"})
    assert response.status_code == 404
    own.refresh_from_db()
    assert own.credit is None and own.attempt.score is None


def test_a_pending_school_neither_grades_nor_sees_the_analysis(
    client, teacher, school, tmp_path, catalog
):
    classroom, assignment = _quiz_with_answers(
        tmp_path, school, teacher, "after_submit", "pending-k"
    )
    Organisation.objects.filter(pk=school.pk).update(
        verification=VerificationStatus.PENDING, verified_at=None
    )
    url = f"/classes/{classroom.pk}/assignments/{assignment.pk}/"
    page = client.get(url)
    assert page.status_code == 403 and "等待平台管理员审核" in page.content.decode()
    essay = Response.objects.get(attempt__user__real_name="甲", question_key="q-why")
    graded = client.post(f"{url}responses/{essay.pk}/grade/", {f"r{essay.pk}-score": "100"})
    assert graded.status_code == 403
    essay.refresh_from_db()
    assert essay.credit is None


def test_a_pending_school_cannot_import_pupils_into_a_class(client, teacher, school):
    classroom = make_class(school, teacher)
    Organisation.objects.filter(pk=school.pk).update(
        verification=VerificationStatus.PENDING, verified_at=None
    )
    response = client.post(
        f"/classes/{classroom.pk}/pupils/import/",
        {"file": SimpleUploadedFile("p.csv", "姓名,学号\n王小明,1\n".encode())},
    )
    assert response.status_code == 403
    assert not ImportBatch.objects.filter(organisation=school).exists()
    assert not User.objects.filter(real_name="王小明").exists()


def test_pupils_imported_into_a_class_are_the_schools_own(client, teacher, school):
    classroom = make_class(school, teacher)
    response = client.post(
        f"/classes/{classroom.pk}/pupils/import/",
        {"file": SimpleUploadedFile("p.csv", "姓名,学号\n王小明,1\n".encode())},
    )
    client.post(response["Location"])
    assert User.objects.get(real_name="王小明").created_by_organisation == school


def test_joining_a_class_gives_the_school_no_control(client, teacher, school):
    classroom = make_class(school, teacher)
    adult = make_pupil(make_school(name="别的学校"), real_name="成年人")
    client.force_login(adult)
    client.post("/classes/join/", {"code": classroom.join_code})
    adult.refresh_from_db()
    assert classroom.pupils.filter(user=adult).exists()
    assert adult.created_by_organisation is None
