"""The demo catalog is what a visitor judges first; these checks hold it to the curriculum map."""

import re
from collections import Counter

import pytest

from courses.package.schema import LessonUnit, QuizUnit, load_package, package_files
from courses.quiz.grading import grade
from courses.quiz.questions import QuestionType
from tests.conftest import CONTENT

PACKAGES = [load_package(path) for path in package_files([CONTENT])]
PLACEHOLDERS = re.compile(r"lorem|ipsum|TODO|TBD|placeholder|此处填写|示例文本|待补充|XXX", re.I)


def test_catalog_covers_every_audience_twice_and_every_subject():
    assert len(PACKAGES) >= 10
    audiences = Counter(a for p in PACKAGES for a in p.audiences)
    for audience in ["chief-quality-officer", "frontline", "small-enterprise", "school", "public"]:
        assert audiences[audience] >= 2, audience
    subjects = {s for p in PACKAGES for s in p.subjects}
    assert subjects == {
        "metrology",
        "standards",
        "certification",
        "inspection",
        "quality-law",
        "quality-management",
    }


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.slug)
def test_each_course_teaches_something_and_ends_with_references(package):
    lessons = [unit for unit in package.units if isinstance(unit, LessonUnit)]
    assert len(lessons) >= 3
    for unit in lessons:
        chinese = len(re.findall(r"[\u4e00-\u9fff]", unit.body))
        assert chinese >= 500, (unit.slug, chinese)
        assert not PLACEHOLDERS.search(unit.body), unit.slug
    assert "## 参考依据" in lessons[-1].body
    assert not PLACEHOLDERS.search(package.title + package.summary)


def test_school_modules_have_grade_bands():
    school = [p for p in PACKAGES if "school" in p.audiences]
    assert {p.grade_band for p in school} == {"primary", "junior", "senior"}


def test_key_facts_are_stated_with_their_years_and_numbers():
    text = "\n".join(u.body for p in PACKAGES for u in p.units if isinstance(u, LessonUnit))
    for fact in [
        "《中华人民共和国计量法》",
        "1985",
        "GB/T 19001-2016",
        "ISO 9001",
        "PDCA",
        "CNAS",
        "CMA",
        "CCC",
        "《中华人民共和国产品质量法》",
        "1993",
        "《中华人民共和国标准化法》",
        "2017",
        "12315",
        "GB/T 19580",
    ]:
        assert fact in text, fact


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.slug)
def test_each_course_ends_with_a_final_quiz_of_mixed_types(package):
    quiz = package.units[-1]
    assert isinstance(quiz, QuizUnit)
    questions = [q for q in quiz.questions if q.qtype != QuestionType.DESCRIPTION]
    assert len(questions) >= 8
    types = {q.qtype for q in questions}
    assert {
        QuestionType.SINGLE_CHOICE,
        QuestionType.MULTIPLE_RESPONSE,
        QuestionType.TRUE_FALSE,
    } <= types
    assert len(types) >= 4
    for question in questions:
        if question.qtype in (
            QuestionType.SINGLE_CHOICE,
            QuestionType.SHORT_ANSWER,
            QuestionType.NUMERICAL,
        ):
            assert any(c.fraction == 1 for c in question.choices), question.name
        if question.qtype == QuestionType.MULTIPLE_RESPONSE:
            right = [i for i, c in enumerate(question.choices) if c.fraction > 0]
            assert grade(question, right) == 1, question.name
