"""The data migration that records which school created the pupils made before the field."""

import importlib

import pytest
from django.apps import apps

from accounts.models import Role, User
from tests.accounts.factories import add_member, make_organisation, make_user
from tests.classrooms.helpers import make_school

pytestmark = pytest.mark.django_db

backfill = importlib.import_module(
    "accounts.migrations.0006_backfill_pupils_created_by_school"
).backfill


def _old_pupil(school, number, **extra):
    """A pupil as create_pupils made them before it recorded the school."""
    user = make_user(f"p{school.pk}-{number.lower()}", email="", **extra)
    add_member(school, user, role=Role.LEARNER, staff_number=number)
    return user


def test_only_accounts_surely_made_by_the_school_are_given_to_it():
    school = make_school()
    pupil = _old_pupil(school, "A7")
    changed = _old_pupil(school, "8", must_change_password=False)  # chose their password

    adult = make_user(real_name="成年人")  # joined a class with its own e-mail
    add_member(school, adult)
    no_email = make_user("someone", email="")  # not the school's pupil username
    add_member(school, no_email, staff_number="9")
    elsewhere = _old_pupil(school, "10")
    add_member(make_organisation(), elsewhere)
    staff = _old_pupil(school, "11", is_staff=True)
    teacher = make_user(f"p{school.pk}-12", email="")
    add_member(school, teacher, role=Role.TEACHER, staff_number="12")
    mimic = make_user(f"p{school.pk}-13", email="")  # another school's number scheme
    add_member(make_school(name="别校"), mimic, staff_number="13")

    backfill(apps, None)

    owned = set(User.objects.filter(created_by_organisation=school).values_list("pk", flat=True))
    assert owned == {pupil.pk, changed.pk}
    for user in (adult, no_email, elsewhere, staff, teacher, mimic):
        user.refresh_from_db()
        assert user.created_by_organisation is None, user.username
