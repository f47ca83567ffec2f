from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Membership, Role
from classrooms import progress, services
from classrooms.forms import AssignmentForm, ClassroomForm
from classrooms.models import Assignment, AssignmentAudience, ClassPupil, LearnerStatus
from courses import services as learning
from courses.quiz import attempts
from tests.accounts.factories import make_user
from tests.classrooms.helpers import (
    assign,
    make_class,
    make_pupil,
    make_school,
    make_teacher,
    school_module,
)
from tests.courses.learning_helpers import RIGHT, WRONG

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(catalog, tmp_path):
    school = make_school()
    teacher = make_teacher(school)
    classroom = make_class(school, teacher)
    course, quiz = school_module(tmp_path)
    return school, teacher, classroom, course, quiz


def take_quiz(user, quiz, answers):
    attempt = attempts.start_attempt(user, quiz)
    for key, answer in answers.items():
        attempts.save_answer(attempt, key, answer, 0)
    return attempts.submit_attempt(attempt)


def test_joining_with_the_code_makes_a_pupil_of_the_school(setting):
    school, _, classroom, _, _ = setting
    user = make_user(real_name="李玥")
    joined = services.join_classroom(user, " " + classroom.join_code.lower())
    assert joined == classroom
    assert ClassPupil.objects.filter(classroom=classroom, user=user).exists()
    assert Membership.objects.get(user=user, organisation=school).role == Role.LEARNER
    services.join_classroom(user, classroom.join_code)  # twice changes nothing
    assert classroom.pupils.count() == 1


def test_a_closed_renewed_or_archived_class_code_no_longer_works(setting):
    _, _, classroom, _, _ = setting
    old = classroom.join_code
    services.renew_join_code(classroom)
    with pytest.raises(services.JoinError):
        services.join_classroom(make_user(), old)
    services.set_joining(classroom, False)
    with pytest.raises(services.JoinError):
        services.join_classroom(make_user(), classroom.join_code)
    services.set_joining(classroom, True)
    services.archive(classroom)
    with pytest.raises(services.JoinError):
        services.join_classroom(make_user(), classroom.join_code)


def test_a_teacher_of_the_school_cannot_join_as_a_pupil(setting):
    school, _, classroom, _, _ = setting
    other_teacher = make_teacher(school, real_name="陈老师")
    with pytest.raises(services.JoinError) as error:
        services.join_classroom(other_teacher, classroom.join_code)
    assert error.value.code == "teacher"


def test_the_database_refuses_a_due_date_before_the_opening(setting):
    _, _, classroom, course, _ = setting
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            organisation=classroom.school,
            classroom=classroom,
            course=course,
            opens_at=now,
            due_at=now - timedelta(hours=1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            organisation=classroom.school,
            classroom=classroom,
            course=course,
            opens_at=now,
            due_at=now + timedelta(days=1),
            audience=AssignmentAudience.GROUP,
        )


def test_the_form_says_what_is_wrong_with_dates_and_pupils(setting):
    school, _, classroom, course, _ = setting
    inside = make_pupil(school, classroom)
    outside = make_pupil(school, real_name="赵六")
    form = AssignmentForm(
        {
            "unit": "course",
            "audience": "learners",
            "recipients": [inside.pk, outside.pk],
            "opens_at": "2026-03-10T08:00",
            "due_at": "2026-03-09T08:00",
        },
        classroom=classroom,
        course=course,
    )
    assert not form.is_valid()
    assert form.errors["due_at"] == ["截止时间必须晚于开放时间。"]
    assert form.errors["recipients"] == [f"{outside.pk} 不是本班学生。"]


def test_grade_must_exist_in_the_stage(setting):
    school = setting[0]
    form = ClassroomForm(
        {"name": "高一（1）班", "grade_band": "senior", "grade": 5, "school_year": 2025},
        school=school,
    )
    assert not form.is_valid()
    assert "1 到 3" in form.errors["grade"][0]


def test_statuses_from_the_learning_records(setting):
    school, teacher, classroom, course, quiz = setting
    names = ["甲", "乙", "丙", "丁", "戊"]
    fresh, studying, passed, failed, finished = (
        make_pupil(school, classroom, real_name=n) for n in names
    )
    whole = assign(classroom, teacher, course)
    only_quiz = assign(classroom, teacher, course, quiz)

    enrolment = learning.enrol(studying, course)
    lesson = course.lessons[0]
    learning.complete_lesson(enrolment, lesson)
    for pupil, answers in ((passed, RIGHT), (failed, WRONG)):
        learning.enrol(pupil, course)
        take_quiz(pupil, quiz, answers)
    enrolment = learning.enrol(finished, course)
    for lesson in course.lessons:
        learning.complete_lesson(enrolment, lesson)
    take_quiz(finished, quiz, RIGHT)

    cells = progress.statuses(
        [whole, only_quiz], [p.pk for p in (fresh, studying, passed, failed, finished)]
    )
    assert cells[fresh.pk, whole.pk].status == LearnerStatus.NOT_STARTED
    assert cells[studying.pk, whole.pk].status == LearnerStatus.IN_PROGRESS
    assert cells[studying.pk, whole.pk].score == 33
    assert cells[finished.pk, whole.pk].status == LearnerStatus.COMPLETED
    assert cells[passed.pk, only_quiz.pk].status == LearnerStatus.PASSED
    assert cells[passed.pk, only_quiz.pk].score == 100
    assert cells[failed.pk, only_quiz.pk].status == LearnerStatus.FAILED
    assert cells[fresh.pk, only_quiz.pk].status == LearnerStatus.NOT_STARTED

    later = timezone.now() + timedelta(days=8)
    cells = progress.statuses(
        [whole, only_quiz], [fresh.pk, studying.pk, failed.pk, finished.pk], now=later
    )
    assert cells[fresh.pk, whole.pk].status == LearnerStatus.OVERDUE
    assert cells[studying.pk, whole.pk].status == LearnerStatus.OVERDUE
    assert cells[failed.pk, only_quiz.pk].status == LearnerStatus.FAILED
    assert cells[finished.pk, whole.pk].status == LearnerStatus.COMPLETED


def test_groups_and_chosen_pupils_reach_only_them(setting):
    school, teacher, classroom, course, quiz = setting
    a, b, c = (make_pupil(school, classroom, real_name=n) for n in "甲乙丙")
    group = services.save_group(classroom, name="兴趣小组", members=[a, b])
    for_group = assign(classroom, teacher, course, audience=AssignmentAudience.GROUP, group=group)
    for_c = assign(
        classroom, teacher, course, quiz, audience=AssignmentAudience.LEARNERS, recipients=[c]
    )
    reached = progress.audiences([for_group, for_c], [a.pk, b.pk, c.pk])
    assert reached == {for_group.pk: {a.pk, b.pk}, for_c.pk: {c.pk}}
    assert list(Assignment.objects.addressed_to(c)) == [for_c]
    assert list(Assignment.objects.addressed_to(a)) == [for_group]


def test_archiving_keeps_every_record(setting):
    school, teacher, classroom, course, _ = setting
    pupil = make_pupil(school, classroom)
    assign(classroom, teacher, course)
    learning.enrol(pupil, course)
    services.archive(classroom)
    classroom.refresh_from_db()
    assert classroom.is_archived and not classroom.joining_open
    assert classroom.pupils.count() == 1 and classroom.assignments.count() == 1
    assert pupil.enrolments.count() == 1


def test_deleting_a_pupils_account_takes_them_out_and_leaves_the_class_its_work(setting):
    from accounts.services import delete_account

    school, teacher, classroom, course, _ = setting
    pupil, other = make_pupil(school, classroom), make_pupil(school, classroom, real_name="李玥")
    group = services.save_group(classroom, name="小组", members=[pupil, other])
    assignment = assign(
        classroom, teacher, course, audience=AssignmentAudience.LEARNERS, recipients=[pupil, other]
    )
    delete_account(pupil)
    assert list(classroom.pupils.values_list("user_id", flat=True)) == [other.pk]
    assert list(group.members.all()) == [other]
    assert list(Assignment.objects.get(pk=assignment.pk).recipients.all()) == [other]
