"""Read-side helpers that span several page types."""

import re
from dataclasses import dataclass, field

from django.db.models import Q

from courses.models import (
    AttemptStatus,
    CoursePage,
    Enrolment,
    LessonPage,
    QuizAttempt,
    QuizPage,
)
from courses.search import CJK_RUN, segment
from courses.services import course_units
from courses.tree import courses_by_unit_path
from serving.sitestate import remembered
from serving.statements import CompiledQuery

RESULT_LIMIT = 30
WORDS = re.compile(r"[^\W_]+")
RECENT_ATTEMPTS = 10

# The dashboard's own records, asked on every visit in the same shape (serving/statements.py).
DASHBOARD_ENROLMENTS = CompiledQuery(
    lambda user: Enrolment.objects.for_user(user).order_by("-last_activity_at", "-enrolled_at"),
    user=(Enrolment, "user"),
)
DASHBOARD_ATTEMPTS = CompiledQuery(
    lambda user: (
        QuizAttempt.objects.filter(user=user)
        .exclude(status=AttemptStatus.IN_PROGRESS)
        .order_by("-submitted_at")[:RECENT_ATTEMPTS]
    ),
    user=(QuizAttempt, "user"),
)


@dataclass
class CatalogSearch:
    courses: list = field(default_factory=list)
    lessons: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.courses) + len(self.lessons)


def startable_quiz(quiz_id):
    """The live, public quiz with this id, or None; kept for the generation, which every
    publish, move and privacy change renews, so a thousand learners starting at once read it
    once instead of two queries and a page built from a join each. An id that names no
    startable quiz comes from the request and is not kept (``keep_none``)."""
    return remembered(
        ("startable quiz", quiz_id),
        lambda: QuizPage.objects.live().public().filter(pk=quiz_id).defer_streamfields().first(),
        keep_none=False,
    )


def search_catalog(query):
    """Courses and lessons whose text holds the query, Chinese segmented like the index.

    Punctuation is dropped first: search syntax such as quotes or operators would otherwise
    reach the database's full-text parser, and no course is found by punctuation anyway.
    """
    query = " ".join(WORDS.findall(query))
    if not query:
        return CatalogSearch()
    courses = CoursePage.objects.in_catalog()
    lessons = LessonPage.objects.live().public()
    if CJK_RUN.fullmatch(query) and len(query) == 1:
        # The index holds bigrams, so a lone character is looked up in the text directly.
        found_courses = list(
            courses.filter(Q(title__contains=query) | Q(summary__contains=query))[:RESULT_LIMIT]
        )
        found_lessons = list(lessons.filter(title__contains=query)[:RESULT_LIMIT])
    else:
        terms = segment(query)
        found_courses = list(courses.search(terms, operator="and")[:RESULT_LIMIT])
        found_lessons = list(lessons.search(terms, operator="and")[:RESULT_LIMIT])
    attach_courses(found_lessons)
    return CatalogSearch(courses=found_courses, lessons=found_lessons)


def attach_courses(units):
    """Set ``parent_course`` on each lesson or quiz page, in one query for them all."""
    courses = courses_by_unit_path(CoursePage.objects, (unit.path for unit in units))
    for unit in units:
        unit.parent_course = courses[unit.path]


def course_first_unit(course):
    """The course's first lesson or quiz, or None for a course without units."""
    units = course_units(course)
    return units[0] if units else None


def start_target(enrolment, course):
    """Where starting a course leads: the learner's last unit, else the first, else the course."""
    target = enrolment.last_unit or course_first_unit(course)
    return target or course
