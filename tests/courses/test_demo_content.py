"""The demo catalog is what a visitor judges first; these checks hold it to the curriculum map."""

import re
from collections import Counter

import pytest

from courses.package.schema import LessonUnit, QuizUnit, load_package, package_files
from courses.questions.data import QuestionType
from courses.questions.registry import grade
from courses.quiz.banks import parse_questions
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


# --- the content goal: counts, school stages, teachers' guides, question banks -------------

AUDIENCES = ["chief-quality-officer", "frontline", "small-enterprise", "school", "public"]
SUBJECTS = [
    "metrology",
    "standards",
    "certification",
    "inspection",
    "quality-law",
    "quality-management",
]
SCHOOL = [p for p in PACKAGES if "school" in p.audiences]
GUIDE_HEADINGS = ["教学目标", "教学过程", "活动单", "参考答案"]


def test_catalog_has_twenty_courses_three_per_subject_four_per_audience():
    assert len(PACKAGES) >= 20
    subjects = Counter(s for p in PACKAGES for s in p.subjects)
    audiences = Counter(a for p in PACKAGES for a in p.audiences)
    assert {s: subjects[s] for s in SUBJECTS if subjects[s] < 3} == {}
    assert {a: audiences[a] for a in AUDIENCES if audiences[a] < 4} == {}


def school_stage(package):
    """lower-primary (grades 1–2), upper-primary (3–6), junior, senior, or None."""
    if package.grade_band != "primary":
        return package.grade_band or None
    if package.grades is None:
        return None
    first, last = package.grades
    if last <= 2:
        return "lower-primary"
    if first >= 3:
        return "upper-primary"
    return None  # a module for grades 1 to 6 is for neither stage alone


def test_every_school_stage_has_at_least_two_modules():
    stages = Counter(school_stage(p) for p in SCHOOL)
    for stage in ["lower-primary", "upper-primary", "junior", "senior"]:
        assert stages[stage] >= 2, (stage, dict(stages))


def test_the_first_school_modules_guides_are_full_lessons():
    """The three modules the catalog began with carry guides of 1,500 characters or more."""
    for package in SCHOOL:
        if package.slug in {
            "quality-around-us",
            "measurement-and-error",
            "standards-and-innovation",
        }:
            chinese = len(re.findall(r"[\u4e00-\u9fff]", package.teacher_guide))
            assert chinese >= 1500 and package.grades, (package.slug, chinese)


@pytest.mark.parametrize("package", SCHOOL, ids=lambda p: p.slug)
def test_each_school_module_has_a_teachers_guide_in_four_parts(package):
    assert package.grade_band, package.slug
    headings = [v["text"] for kind, v in package.teacher_guide_blocks if kind == "heading"]
    for part in GUIDE_HEADINGS:
        assert any(part in heading for heading in headings), (package.slug, part, headings)
    assert re.search(r"40\s*分钟", package.teacher_guide), package.slug
    chinese = len(re.findall(r"[\u4e00-\u9fff]", package.teacher_guide))
    assert chinese >= 400, (package.slug, chinese)
    assert not PLACEHOLDERS.search(package.teacher_guide), package.slug


BANK_FILES = sorted((CONTENT.parent / "banks").glob("*.gift"))


def test_each_subject_has_a_bank_and_a_course_draws_from_one():
    assert sorted(path.stem for path in BANK_FILES) == sorted(SUBJECTS)
    draws = [
        u.draw_bank for p in PACKAGES for u in p.units if isinstance(u, QuizUnit) and u.draw_bank
    ]
    assert draws and set(draws) <= {path.stem for path in BANK_FILES}


def teaches(question):
    """Feedback on the answers: general feedback, or on every right answer (both ways for
    true/false)."""
    if question.general_feedback.strip():
        return True
    if question.qtype == QuestionType.TRUE_FALSE:
        return bool(
            question.options.get("feedback_wrong") and question.options.get("feedback_right")
        )
    right = [c for c in question.choices if c.fraction > 0]
    return bool(right) and all(c.feedback.strip() for c in right)


@pytest.mark.parametrize("path", BANK_FILES, ids=lambda p: p.stem)
def test_each_bank_has_thirty_questions_of_four_types_with_keys_and_feedback(path):
    questions = parse_questions(path.read_text(encoding="utf-8"))
    assert len(questions) >= 30
    assert len({q.qtype for q in questions}) >= 4
    assert not [q.name for q in questions if q.qtype == QuestionType.ESSAY]  # no teacher at hand
    assert [q.name for q in questions if not teaches(q)] == []
    for question in questions:
        assert not PLACEHOLDERS.search(question.text), question.name
        assert re.search(r"[\u4e00-\u9fff]", question.text), question.name
        if question.qtype in (
            QuestionType.SINGLE_CHOICE,
            QuestionType.SHORT_ANSWER,
            QuestionType.NUMERICAL,
        ):
            assert any(c.fraction == 1 for c in question.choices), question.name
        if question.qtype == QuestionType.MULTIPLE_RESPONSE:
            right = [i for i, c in enumerate(question.choices) if c.fraction > 0]
            assert grade(question, right) == 1, question.name
