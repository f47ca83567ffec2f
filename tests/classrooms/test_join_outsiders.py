"""Class codes are for the school's pupils: staff of an enterprise and adults who signed up
themselves are told so and nothing changes, unless the school already has them as pupils."""

import pytest

from accounts.models import Membership, Role
from classrooms import services
from classrooms.models import ClassPupil
from tests.accounts.factories import add_member, make_organisation, make_user
from tests.classrooms.helpers import make_class, make_pupil, make_school, make_teacher

pytestmark = pytest.mark.django_db

REFUSAL = "这个班级只面向上海市示范中学的学生"


@pytest.fixture
def classroom():
    school = make_school()
    return make_class(school, make_teacher(school))


def outsiders():
    employee = make_user(real_name="企业员工")
    add_member(make_organisation(), employee, department="质检部")
    adult = make_user(real_name="自己注册的成人", audience="frontline")
    other_teacher = make_user(real_name="外校老师")
    add_member(make_school("别的学校"), other_teacher, role=Role.TEACHER)
    return [employee, adult, other_teacher]


def test_outsiders_are_told_the_class_is_for_the_schools_pupils(client, classroom):
    for person in outsiders():
        client.force_login(person)
        link = client.get(f"/classes/join/{classroom.join_code}/").content.decode()
        assert REFUSAL in link, person
        typed = client.post("/classes/join/", {"code": classroom.join_code})
        assert typed.status_code == 200 and REFUSAL in typed.content.decode()
        assert not ClassPupil.objects.filter(user=person).exists()
        assert not Membership.objects.filter(user=person, organisation=classroom.school).exists()


def test_an_outsider_the_teacher_added_joins(client, classroom):
    employee = outsiders()[0]
    add_member(classroom.school, employee, role=Role.LEARNER)  # the school made them a pupil
    client.force_login(employee)
    response = client.post("/classes/join/", {"code": classroom.join_code})
    assert response["Location"] == f"/classes/{classroom.pk}/"
    assert ClassPupil.objects.filter(classroom=classroom, user=employee).exists()


def test_pupils_and_new_pupil_accounts_join_as_before(client, classroom):
    school_pupil = make_pupil(classroom.school, real_name="本校学生", email="")
    new_account = make_user(real_name="新注册的学生")
    self_declared = make_user(real_name="中学生", audience="school")
    pupil_elsewhere = make_pupil(make_school("原来的学校"), real_name="转学生")
    for person in (school_pupil, new_account, self_declared, pupil_elsewhere):
        client.force_login(person)
        response = client.post("/classes/join/", {"code": classroom.join_code})
        assert response["Location"] == f"/classes/{classroom.pk}/", person
        assert ClassPupil.objects.filter(classroom=classroom, user=person).exists()
        assert Membership.objects.get(user=person, organisation=classroom.school).role == "learner"


def test_the_service_refuses_an_outsider_and_changes_nothing(classroom):
    employee = outsiders()[0]
    with pytest.raises(services.JoinError) as error:
        services.join_classroom(employee, classroom.join_code)
    assert error.value.code == "outsider"
    assert not ClassPupil.objects.exists()
    assert Membership.objects.filter(user=employee).count() == 1
