"""A learner's record of one course, lesson or quiz is found by an index holding both, even
when the table's statistics predate that course (PER_LEARNER_INDEXES in the models).

The case is exam day: a quiz published that morning gathers thousands of attempts before
PostgreSQL analyses the table again. With a lone index on the quiz column the planner took
it for each learner's lookup and read every attempt at the quiz.
"""

import json

import pytest
from django.conf import settings
from django.db import connection

from accounts.models import User
from courses.models import Enrolment, LessonPage, LessonProgress, QuizAttempt
from tests.conftest import build_catalog
from tests.courses.learning_helpers import quiz_course

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.IS_POSTGRES, reason="query plans are PostgreSQL's"),
]

CROWD = 3000


def crowd(prefix):
    return User.objects.bulk_create(
        User(username=f"{prefix}{n}", password="!", real_name="学员") for n in range(CROWD)
    )


def analyse(*models):
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def rows_read(queryset):
    """Rows the plan's scans read, those the filter threw away included."""
    plan = json.loads(queryset.explain(format="json", analyze=True))[0]["Plan"]
    nodes, read = [plan], 0
    while nodes:
        node = nodes.pop()
        if "Scan" in node["Node Type"]:
            read += node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
        nodes.extend(node.get("Plans", []))
    return read


@pytest.fixture
def two_courses(tmp_path):
    """An old course whose records the statistics know, and a new one they have not seen."""
    build_catalog()
    old_course, old_quiz = quiz_course(tmp_path, slug="old-course")
    new_course, new_quiz = quiz_course(tmp_path, slug="new-course")
    old_lesson = LessonPage.objects.child_of(old_course).first()
    new_lesson = LessonPage.objects.child_of(new_course).first()
    records(crowd("old"), old_course, old_lesson, old_quiz)
    analyse(Enrolment, LessonProgress, QuizAttempt)
    newcomers = crowd("new")
    records(newcomers, new_course, new_lesson, new_quiz)
    return newcomers[-1], new_course, new_lesson, new_quiz


def records(users, course, lesson, quiz):
    Enrolment.objects.bulk_create(Enrolment(user=u, course=course) for u in users)
    LessonProgress.objects.bulk_create(LessonProgress(user=u, lesson=lesson) for u in users)
    QuizAttempt.objects.bulk_create(
        QuizAttempt(user=u, quiz=quiz, number=1, snapshot={}) for u in users
    )


def test_a_learners_records_of_a_new_course_are_read_alone(two_courses):
    learner, course, lesson, quiz = two_courses
    assert rows_read(QuizAttempt.objects.of(learner, quiz).filter(passed=True)) <= 1
    assert rows_read(QuizAttempt.objects.of(learner, quiz)) == 1
    assert rows_read(Enrolment.objects.filter(user=learner, course=course)) == 1
    assert rows_read(Enrolment.objects.filter(user=learner).in_course_of(quiz)) <= 2
    assert rows_read(LessonProgress.objects.filter(user=learner, lesson_id__in=[lesson.pk])) == 1
