"""docs/xapi.md's journey and its examples are what the code writes: this test walks the
documented journey, renders the list and one statement of each kind, and compares them with
the document, ids and times aside (they differ on every run).

To write the document's generated parts again after a change of the statements:
    XAPI_WRITE_DOCS=1 .venv/bin/pytest tests/xapi/test_docs.py
"""

import json
import os
import re
from pathlib import Path

import pytest

from courses.models import EnrolmentSource
from courses.quiz import attempts
from tests.classrooms.helpers import assign, make_class, make_pupil, make_school, make_teacher
from tests.xapi.helpers import journey_course, walk
from xapi import units
from xapi.models import Statement

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "xapi.md"
SITE = "https://academy.example.org"
VOLATILE = [
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), "<uuid>"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00"), "<time>"),
    (re.compile(r'"name": "[0-9a-f]{32}"'), '"name": "<actor>"'),
    (re.compile(r"/xapi/(assignments|organisations|classes)/\d+"), r"/xapi/\1/<pk>"),
]


def steady(text):
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def between(text, name):
    start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
    head, rest = text.split(start, 1)
    body, tail = rest.split(end, 1)
    return head + start, body, end + tail


def line(number, data):
    verb = data["verb"]["display"]["en-US"]
    kind = data["object"]["definition"]["type"].rsplit("/", 1)[-1]
    name = next(iter(data["object"]["definition"]["name"].values()))
    text = f"{number:2}. {verb:<11} {kind:<15} {name}"
    success = data.get("result", {}).get("success")
    if success is not None:
        text += f"  success={str(success).lower()}"
    return text.rstrip()


def example(title, data):
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    return f"### {title}\n\n```json\n{body}\n```\n"


def documented_journey(client, tmp_path):
    """The journey docs/xapi.md tells: a pupil set the course by the class's teacher."""
    course_page, lessons, quiz = journey_course(tmp_path)
    school = make_school("上海市示范中学")
    teacher = make_teacher(school)
    classroom = make_class(school, teacher, name="初二（3）班")
    pupil = make_pupil(school, classroom)
    assign(classroom, teacher, course_page)
    enrolment, _, _ = walk(
        client,
        pupil,
        course_page,
        lessons,
        quiz,
        source=EnrolmentSource.CLASS,
        organisation=school,
    )
    journey = [s.data for s in Statement.objects.filter(user=pupil).order_by("created_at", "id")]
    # A third attempt started and left open, and a content unit's completion (a lesson page
    # standing in for the SCORM or H5P unit, sent as courses will send unit_result_recorded).
    attempts.start_attempt(pupil, quiz)
    units.unit_result_recorded(
        sender=None,
        enrolment=enrolment,
        unit=lessons[0],
        completed=True,
        passed=True,
        score=0.85,
        first_completion=True,
    )
    extra = list(
        Statement.objects.filter(user=pupil)
        .exclude(pk__in=[s["id"] for s in journey])
        .order_by("created_at", "id")
    )
    return journey, [s.data for s in extra]


def test_the_documented_journey_and_examples_are_what_the_code_writes(
    client, tmp_path, catalog, settings
):
    settings.WAGTAILADMIN_BASE_URL = SITE
    journey, (left_open, unit_done) = documented_journey(client, tmp_path)
    by_kind = {}
    for data in journey:
        key = (data["verb"]["display"]["en-US"], data["object"]["definition"]["type"])
        by_kind.setdefault(key, []).append(data)
    verbs = [s["verb"]["display"]["en-US"] for s in journey]
    assert left_open["verb"]["display"]["en-US"] == "attempted"
    assert unit_done["verb"]["display"]["en-US"] == "completed"

    listed = "```\n" + "\n".join(line(n, s) for n, s in enumerate(journey, 1)) + "\n```\n"
    answered = [s for s in journey if s["verb"]["display"]["en-US"] == "answered"]
    lesson_done = journey[verbs.index("completed")]
    chosen = [
        ("registered: enrolment (set by the class)", journey[0]),
        ("experienced: a lesson opened", journey[1]),
        ("completed: a lesson", lesson_done),
        ("attempted: a quiz attempt started", journey[verbs.index("attempted")]),
        ("answered: one question of the attempt (matching)", answered[-1]),
        ("failed: the attempt graded below the pass mark", journey[verbs.index("failed")]),
        ("passed: the attempt graded at or above the pass mark", journey[verbs.index("passed")]),
        ("completed: the course", journey[verbs.index("completed", verbs.index("passed"))]),
        ("earned: the course's certificate", journey[-1]),
        ("completed: a content unit (SCORM, H5P) with its score", unit_done),
    ]
    examples = "\n".join(example(title, data) for title, data in chosen)

    text = DOC.read_text()
    head, _, tail = between(text, "journey")
    text = head + listed + tail
    head, _, tail = between(text, "examples")
    text = head + examples + tail
    if os.environ.get("XAPI_WRITE_DOCS"):
        DOC.write_text(text)
    assert steady(DOC.read_text()) == steady(text)
    assert len(journey) == 23 and len(by_kind) == 9
