"""A school controls (resets, deletes) only the pupil accounts it created itself.

The attack: a stranger registers a school, gets a victim into it (the victim joins a class
by its code, or the school imports the victim's e-mail as staff before they first sign in)
and tries to reset or delete the victim's account.
"""

import pytest

from accounts.models import Membership, OrganisationKind, Role, User
from accounts.services import create_pupils, verify_organisation
from classrooms import services as classes
from tests.accounts.factories import PASSWORD, add_member, make_organisation, make_user
from tests.classrooms.helpers import make_class, make_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger(client):
    """A stranger who has registered a school and been verified, at their most powerful."""
    manager = make_user(real_name="陌生人")
    client.force_login(manager)
    client.post(
        "/org/register/",
        {
            "kind": OrganisationKind.SCHOOL,
            "name": "某某学校",
            "credit_code": "",
            "district": "310115",
        },
    )
    school = Membership.objects.get(user=manager, role=Role.MANAGER).organisation
    verify_organisation(school, by=None)
    return manager, school


def _victim_in_class(school, teacher):
    victim = make_user(real_name="受害人", email="victim@example.com")
    classroom = make_class(school, teacher)
    classes.join_classroom(victim, classroom.join_code)
    return victim, Membership.objects.get(user=victim, organisation=school)


def test_a_strangers_school_cannot_reset_an_adult_who_joined_a_class(client, stranger):
    manager, school = stranger
    victim, membership = _victim_in_class(school, manager)
    old_hash = victim.password

    assert client.get(f"/school/pupils/{membership.pk}/password/").status_code == 404
    assert client.post(f"/school/pupils/{membership.pk}/password/").status_code == 404
    victim.refresh_from_db()
    assert victim.password == old_hash and victim.check_password(PASSWORD)
    assert not victim.must_change_password


def test_a_strangers_school_cannot_delete_an_adult_who_joined_a_class(client, stranger):
    manager, school = stranger
    victim, membership = _victim_in_class(school, manager)
    assert client.get(f"/school/pupils/{membership.pk}/delete/").status_code == 404
    assert client.post(f"/school/pupils/{membership.pk}/delete/").status_code == 404
    assert User.objects.filter(pk=victim.pk).exists()


def test_staff_imported_by_e_mail_are_not_the_schools_to_reset(client, stranger):
    _, school = stranger
    response = client.post(
        "/org/import/staff/",
        {"file": _upload("staff.csv", "姓名,邮箱\n受害人,victim@example.com\n")},
    )
    client.post(response["Location"])
    victim = User.objects.get(email="victim@example.com")
    membership = Membership.objects.get(user=victim, organisation=school)
    assert victim.created_by_organisation is None
    assert client.post(f"/school/pupils/{membership.pk}/password/").status_code == 404
    assert client.post(f"/school/pupils/{membership.pk}/delete/").status_code == 404
    victim.refresh_from_db()
    assert not victim.has_usable_password() and User.objects.filter(pk=victim.pk).exists()


def _upload(name, text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode())


@pytest.fixture
def school_and_teacher(client):
    school = make_school()
    teacher = make_user(real_name="周老师")
    add_member(school, teacher, role=Role.TEACHER)
    client.force_login(teacher)
    return school, teacher


def _own_pupil(school, number="20250101", name="王小明"):
    create_pupils(school, [(name, number)])
    return Membership.objects.select_related("user").get(organisation=school, staff_number=number)


def test_the_school_resets_the_password_of_a_pupil_it_created(client, school_and_teacher):
    school, _ = school_and_teacher
    membership = _own_pupil(school)
    assert membership.user.created_by_organisation == school
    old_hash = membership.user.password
    html = client.post(f"/school/pupils/{membership.pk}/password/").content.decode()
    membership.user.refresh_from_db()
    assert membership.user.password != old_hash and membership.user.must_change_password
    assert membership.user.username in html


@pytest.mark.parametrize(
    "change",
    [
        "email",  # the pupil gave the account an e-mail address of their own
        "elsewhere",  # the pupil is also a member of another organisation
        "staff",  # a platform administrator
        "teacher",  # no longer a learner at the school
    ],
)
def test_a_created_pupil_who_is_no_longer_only_the_schools_is_out_of_reach(
    client, school_and_teacher, change
):
    school, _ = school_and_teacher
    membership = _own_pupil(school)
    user = membership.user
    if change == "email":
        user.email = "own@example.com"
        user.save()
    elif change == "elsewhere":
        add_member(make_organisation(), user)
    elif change == "staff":
        user.is_staff = True
        user.save()
    else:
        Membership.objects.filter(pk=membership.pk).update(role=Role.TEACHER)
    old_hash = user.password
    assert client.post(f"/school/pupils/{membership.pk}/password/").status_code == 404
    assert client.post(f"/school/pupils/{membership.pk}/delete/").status_code == 404
    user.refresh_from_db()
    assert user.password == old_hash


def test_another_schools_pupil_is_404(client, school_and_teacher):
    other = _own_pupil(make_school(name="别的学校"), number="1")
    assert client.get(f"/school/pupils/{other.pk}/password/").status_code == 404
    assert client.get(f"/school/pupils/{other.pk}/delete/").status_code == 404
    assert client.post(f"/school/pupils/{other.pk}/delete/").status_code == 404
    assert User.objects.filter(pk=other.user_id).exists()


def test_the_school_deletes_its_own_pupil_after_confirming(client, school_and_teacher):
    school, _ = school_and_teacher
    membership = _own_pupil(school)
    page = client.get(f"/school/pupils/{membership.pk}/delete/").content.decode()
    assert "王小明" in page and "删除" in page
    assert User.objects.filter(pk=membership.user_id).exists()  # a GET deletes nothing

    response = client.post(f"/school/pupils/{membership.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/school/pupils/"
    assert not User.objects.filter(pk=membership.user_id).exists()
    assert "已删除" in client.get("/school/pupils/").content.decode()


def test_the_pupil_list_offers_reset_and_delete_only_for_the_schools_own_pupils(
    client, school_and_teacher
):
    school, teacher = school_and_teacher
    own = _own_pupil(school)
    _, joined = _victim_in_class(school, teacher)
    html = client.get("/school/pupils/").content.decode()
    assert f"/school/pupils/{own.pk}/password/" in html
    assert f"/school/pupils/{own.pk}/delete/" in html
    assert f"/school/pupils/{joined.pk}/password/" not in html
    assert f"/school/pupils/{joined.pk}/delete/" not in html
