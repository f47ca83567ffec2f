"""The city data generator at a tiny scale: counts, consistency of the learning records,
certificates, valid choices, and a --reset that touches nothing but what it generated."""

import io
from collections import defaultdict

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import (
    District,
    Industry,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationSize,
    Role,
    User,
)
from accounts.validators import validate_credit_code
from certificates.models import Certificate
from cms.management.commands.bootstrap import Command as BootstrapCommand
from courses.models import CoursePage, Enrolment, LessonPage, LessonProgress, QuizAttempt, QuizPage
from reports.citydata import Targets
from reports.citydata_writer import GENERATED_PASSWORD

pytestmark = pytest.mark.django_db

SCALE = 0.002


def generate(*extra):
    call_command("generate_city_data", "--scale", str(SCALE), "--seed", "7", *extra, verbosity=0)


def generated_users():
    return User.objects.filter(username__startswith="city-")


def counts():
    users = generated_users()
    return {
        "users": users.exclude(username="city-fan").count(),
        "organisations": Organisation.objects.filter(invite_code__startswith="CITY").count(),
        "memberships": Membership.objects.filter(user__in=users).count(),
        "enrolments": Enrolment.objects.filter(user__in=users).count(),
        "progress": LessonProgress.objects.filter(user__in=users).count(),
        "attempts": QuizAttempt.objects.filter(user__in=users).count(),
        "certificates": Certificate.objects.filter(user__in=users).count(),
        "courses": CoursePage.objects.filter(slug__startswith="city-").count(),
    }


@pytest.fixture
def somebody_real(catalog):
    """The demo accounts and organisations as `bootstrap --demo` makes them, the learner with
    an enrolment of their own, and a person whose username looks generated."""
    BootstrapCommand(stdout=io.StringIO())._demo_accounts()
    user = User.objects.get(username="learner")
    Enrolment.objects.create(user=user, course=catalog.first())
    # Signed up with a name like the generated ones, but with a password of their own.
    User.objects.create_user("city-fan", "fan@example.com", "pw", real_name="城市迷")
    return user


def test_the_city_is_complete_and_consistent(catalog):
    generate()
    targets = Targets.at(SCALE)
    found = counts()
    assert found["users"] == targets.users == 200
    assert found["organisations"] == targets.organisations == 10
    assert found["memberships"] == targets.users
    assert found["enrolments"] == targets.enrolments == 700
    assert found["progress"] == targets.progress == 2000
    assert found["attempts"] == targets.attempts == 600
    assert found["courses"] == targets.generated_courses == 2

    users = generated_users()
    assert not users.first().has_usable_password()
    assert set(users.values_list("password", flat=True)) == {GENERATED_PASSWORD}
    check_learning_records(users)
    check_choices()


def check_learning_records(users):
    lessons = defaultdict(set)
    for lesson in LessonPage.objects.live():
        lessons[lesson.get_parent().pk].add(lesson.pk)
    quizzes = {quiz.get_parent().pk: quiz for quiz in QuizPage.objects.live()}
    finished = {
        (p.user_id, p.lesson_id): p.completed_at
        for p in LessonProgress.objects.filter(user__in=users, completed_at__isnull=False)
    }
    passed_at = {}
    attempts = QuizAttempt.objects.filter(user__in=users).order_by("number")
    for attempt in attempts:
        assert attempt.status == "finished" and attempt.score is not None
        assert attempt.passed == (attempt.score >= attempt.snapshot["pass_mark"])
        if attempt.passed:
            passed_at.setdefault((attempt.user_id, attempt.quiz_id), attempt.submitted_at)
    pass_rate = sum(a.passed for a in attempts) / len(attempts)
    assert 0.7 <= pass_rate <= 0.8

    certifying = set(CoursePage.objects.filter(certificate=True).values_list("pk", flat=True))
    owed = set()
    for enrolment in Enrolment.objects.filter(user__in=users):
        course_lessons = lessons[enrolment.course_id]
        done = [
            finished[key]
            for key in ((enrolment.user_id, pk) for pk in course_lessons)
            if key in finished
        ]
        passed = passed_at.get((enrolment.user_id, quizzes[enrolment.course_id].pk))
        units = len(course_lessons) + 1
        assert enrolment.progress == round(100 * (len(done) + bool(passed)) / units)
        if len(done) == len(course_lessons) and passed:
            assert enrolment.completed_at == max([*done, passed])
            if enrolment.course_id in certifying:
                owed.add(enrolment.pk)
        else:
            assert enrolment.completed_at is None
        assert enrolment.enrolled_at <= (enrolment.last_activity_at or enrolment.enrolled_at)

    certificates = Certificate.objects.filter(user__in=users)
    assert set(certificates.values_list("enrolment_id", flat=True)) == owed
    for certificate in certificates.select_related("enrolment", "course"):
        assert certificate.number and certificate.code and certificate.holder_name
        assert certificate.course_title == certificate.course.title
        assert certificate.hours == certificate.course.hours
        assert certificate.issued_at == certificate.enrolment.completed_at
        assert not certificate.pdf


def check_choices():
    districts = set(District.values)
    for organisation in Organisation.objects.filter(invite_code__startswith="CITY"):
        assert organisation.district in districts
        assert organisation.industry in Industry.values
        if organisation.kind == OrganisationKind.SCHOOL:
            assert organisation.size == ""
        else:
            assert organisation.size in OrganisationSize.values
        validate_credit_code(organisation.credit_code)
        roles = set(organisation.memberships.values_list("role", flat=True))
        assert Role.MANAGER in roles
    assert set(generated_users().values_list("district", flat=True)) <= districts
    for user in generated_users()[:50]:
        user.full_clean(exclude=["password"])


def test_reset_regenerates_the_same_city_and_spares_everything_else(somebody_real):
    before = snapshot_of(somebody_real)
    generate()
    first = counts()
    names = sorted(generated_users().values_list("username", "real_name", "district"))
    codes = sorted(Organisation.objects.values_list("credit_code", flat=True))

    with pytest.raises(CommandError, match="--reset"):
        generate()
    generate("--reset")
    assert counts() == first
    assert sorted(generated_users().values_list("username", "real_name", "district")) == names
    assert sorted(Organisation.objects.values_list("credit_code", flat=True)) == codes
    assert snapshot_of(somebody_real) == before
    assert User.objects.filter(username="city-fan").exists()
    assert Membership.objects.filter(user__in=generated_users()).count() == first["users"]


def snapshot_of(user):
    demo = User.objects.exclude(username__startswith="city-").order_by("username")
    return (
        list(demo.values_list("username", "password", "real_name", "email", "is_superuser")),
        sorted(
            Membership.objects.filter(user__in=demo).values_list(
                "user__username",
                "organisation__name",
                "organisation__credit_code",
                "role",
                "department",
            )
        ),
        list(user.enrolments.values_list("course_id", "progress", "completed_at")),
        CoursePage.objects.exclude(slug__startswith="city-").count(),
    )


def test_full_scale_is_refused_on_sqlite_with_the_reason(db):
    if connection.vendor != "sqlite":
        pytest.skip("the refusal is for SQLite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("generate_city_data", "--scale", "1")


def test_credit_codes_pass_the_validator_for_every_district():
    import random

    from reports.citydata_names import credit_code

    rng = random.Random(1)
    for district in District.values:
        for school in (False, True):
            code = credit_code(rng, district, school)
            validate_credit_code(code)
            with pytest.raises(ValidationError):
                validate_credit_code(code[:-1] + ("0" if code[-1] != "0" else "1"))


def test_every_generated_enrolment_counts_where_the_district_rule_says(catalog):
    generate()
    people = generated_users()
    home = {}
    for user_id, organisation_district, own in (
        Membership.objects.filter(user__in=people)
        .order_by("joined_at", "pk")
        .values_list("user_id", "organisation__district", "user__district")
    ):
        home.setdefault(user_id, (organisation_district, own))
    rows = list(
        Enrolment.objects.filter(user__in=people).values_list("user_id", "source", "district")
    )
    assert {source for _user, source, _district in rows} == {"self", "class", "organisation"}
    for user_id, source, district in rows:
        organisation_district, own = home[user_id]
        # Organisation-set training: where the organisation is; the rest: where they live.
        expected = organisation_district if source != "self" else own or organisation_district
        assert district == expected, (user_id, source)
    # The rule is exercised: people living elsewhere than their organisation, both ways.
    moved = {source for user_id, source, _district in rows if len(set(home[user_id])) == 2}
    assert {"self", "organisation"} <= moved
