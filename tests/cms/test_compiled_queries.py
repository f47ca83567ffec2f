"""Querysets compiled once and run with each call's values (serving/statements.py) answer
exactly as the querysets themselves, on SQLite and on PostgreSQL, for every learner."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Membership, Role
from classrooms import services as classes
from classrooms.models import Assignment, AssignmentAudience, ClassPupil, Classroom
from serving.statements import CompiledQuery
from tests.accounts.factories import add_member, make_organisation, make_user
from tests.certificates.helpers import lessons_course
from tests.classrooms.helpers import make_class, make_pupil, make_school, make_teacher
from training.assignments import for_learner

pytestmark = pytest.mark.django_db


def staff_assignment(organisation, course, audience, *, opens_in=timedelta(days=-1), **extra):
    now = timezone.now()
    return Assignment.objects.create(
        organisation=organisation,
        course=course,
        audience=audience,
        opens_at=now + opens_in,
        due_at=now + opens_in + timedelta(days=14),
        **extra,
    )


@pytest.fixture
def enterprise(tmp_path):
    """Every way staff training reaches someone, and the ways it does not."""
    manager = make_user(real_name="陈经理")
    organisation = make_organisation(manager=manager)
    course = lessons_course(tmp_path, slug="staff-course", title="班组长质量管理")
    people = {
        "manager": manager,
        "qc": add_member(organisation, make_user(real_name="甲"), department="质检部").user,
        "line": add_member(organisation, make_user(real_name="丙"), department="装配车间").user,
        "outsider": make_user(real_name="路人"),
    }
    other = make_organisation()
    people["elsewhere"] = add_member(other, make_user(real_name="乙"), department="质检部").user
    staff_assignment(organisation, course, AssignmentAudience.STAFF)
    staff_assignment(organisation, course, AssignmentAudience.DEPARTMENT, department="质检部")
    staff_assignment(other, course, AssignmentAudience.STAFF, opens_in=timedelta(days=3))
    named = staff_assignment(organisation, course, AssignmentAudience.LEARNERS)
    named.recipients.set([manager, people["outsider"]])
    return people


def test_staff_training_found_as_the_queryset_finds_it(enterprise):
    compiled = CompiledQuery(
        lambda user, now: Assignment.objects.for_staff(user).open_now(now),
        user=(Membership, "user"),
        now=(Assignment, "opens_at"),
    )
    now = timezone.now()
    found = {}
    for name, user in enterprise.items():
        expected = list(
            Assignment.objects.for_staff(user).open_now(now).values_list("pk", flat=True)
        )
        assert compiled.ids(user=user.pk, now=now) == expected
        found[name] = len(expected)
    # The comparison covered every kind: all staff, a department, by name, not yet open.
    assert found == {"manager": 1, "qc": 2, "line": 1, "outsider": 1, "elsewhere": 0}
    # The time is a value like the user: a week on, the other organisation's is open.
    later = now + timedelta(days=7)
    assert len(compiled.ids(user=enterprise["elsewhere"].pk, now=later)) == 1


def test_two_times_are_two_values(enterprise):
    compiled = CompiledQuery(
        lambda opens, due: Assignment.objects.filter(opens_at__lte=opens, due_at__gt=due),
        opens=(Assignment, "opens_at"),
        due=(Assignment, "due_at"),
    )
    now = timezone.now()
    for opens, due in ((now, now), (now + timedelta(days=7), now), (now, now + timedelta(days=15))):
        expected = list(
            Assignment.objects.filter(opens_at__lte=opens, due_at__gt=due).values_list(
                "pk", flat=True
            )
        )
        assert compiled.ids(opens=opens, due=due) == expected
    # Open now and due after now: the three open ones; a week on, the fourth opens too.
    assert [len(compiled.ids(opens=o, due=now)) for o in (now, now + timedelta(days=7))] == [3, 4]


def test_the_dashboards_staff_training_is_each_learners_own(enterprise):
    now = timezone.now()
    titles = {
        name: sorted(a.get_audience_display() for a, _cell in for_learner(user, now))
        for name, user in enterprise.items()
    }
    assert titles["qc"] == sorted(
        [AssignmentAudience.STAFF.label, AssignmentAudience.DEPARTMENT.label]
    )
    assert titles["line"] == [AssignmentAudience.STAFF.label]
    assert titles["manager"] == [AssignmentAudience.LEARNERS.label]
    assert titles["elsewhere"] == []


def test_rows_come_back_as_the_orm_would_make_them():
    school = make_school()
    teacher = make_teacher(school)
    first = make_class(school, teacher, name="初一（1）班", grade=1)
    second = make_class(school, teacher, name="初二（2）班")
    archived = make_class(school, teacher, name="初三（3）班", grade=3)
    pupil = make_pupil(school, first)
    classes.add_pupils(second, [pupil])
    classes.add_pupils(archived, [pupil])
    classes.archive(archived)
    compiled = CompiledQuery(
        lambda user: Classroom.objects.attended_by(user).active(), user=(ClassPupil, "user")
    )
    rows = compiled.objects(user=pupil.pk)
    expected = list(Classroom.objects.attended_by(pupil).active())
    assert rows == expected == [first, second]  # the model's order, by grade
    # Converted as the ORM converts: an aware date-time, not the database's text.
    assert rows[0].created_at == expected[0].created_at
    assert timezone.is_aware(rows[0].created_at)
    assert compiled.objects(user=teacher.pk) == []


def test_the_statement_is_compiled_once_and_is_one_query():
    school = make_school()
    teacher = make_teacher(school)
    pupils = [make_pupil(school, make_class(school, teacher, name=f"{n}班")) for n in "甲乙"]
    compiled = CompiledQuery(
        lambda user: Classroom.objects.attended_by(user), user=(ClassPupil, "user")
    )
    compiled.ids(user=pupils[0].pk)
    with CaptureQueriesContext(connection) as queries:
        answers = [compiled.ids(user=p.pk) for p in pupils]
    assert len(queries.captured_queries) == 2
    assert answers[0] != answers[1] and all(len(a) == 1 for a in answers)


def test_a_value_the_query_does_not_use_is_refused():
    compiled = CompiledQuery(lambda user: Classroom.objects.all(), user=(Membership, "user"))
    with pytest.raises(ValueError, match="user is not a parameter"):
        compiled.ids(user=1)


def test_a_manager_is_not_reached_as_staff(enterprise):
    # The manager's one assignment is the one naming them, not the all-staff one.
    manager = enterprise["manager"]
    assert Membership.objects.get(user=manager).role == Role.MANAGER
    (assignment, _cell), *rest = for_learner(manager, timezone.now())
    assert not rest and assignment.audience == AssignmentAudience.LEARNERS


def test_annotations_come_back_and_joined_rows_are_refused():
    school = make_school()
    teacher = make_teacher(school)
    pupil = make_pupil(school, make_class(school, teacher, name="初一（2）班"))
    with_count = CompiledQuery(
        lambda user: Classroom.objects.attended_by(user).annotate(places=Count("pupils")),
        user=(ClassPupil, "user"),
    )
    (row,) = with_count.objects(user=pupil.pk)
    assert (row.name, row.places) == ("初一（2）班", 1)
    # A row read this way is an ordinary instance: saved, it updates its own row.
    row.name = "初一（5）班"
    row.save(update_fields=["name"])
    assert Classroom.objects.get(pk=row.pk).name == "初一（5）班"
    joined = CompiledQuery(
        lambda user: Classroom.objects.attended_by(user).select_related("school"),
        user=(ClassPupil, "user"),
    )
    with pytest.raises(ValueError, match="select_related"):
        joined.objects(user=pupil.pk)
