"""Every learning event leaves its xAPI statement in the outbox, in the event's transaction,
and every statement is valid by an independent implementation: Ralph's pydantic models of
xAPI (the base statement model, and the specific models Ralph has for these verbs and
activity types)."""

import pytest
from django.db import transaction
from ralph.models.xapi.base.statements import BaseXapiStatement
from ralph.models.xapi.base.unnested_objects import BaseXapiActivityInteractionDefinition
from ralph.models.xapi.concepts.activity_types.scorm_profile import (
    CMIInteractionActivity,
    CourseActivity,
)
from ralph.models.xapi.concepts.verbs.adl_vocabulary import AnsweredVerb, RegisteredVerb
from ralph.models.xapi.concepts.verbs.scorm_profile import CompletedVerb
from ralph.models.xapi.lms.statements import LMSRegisteredCourse

from certificates.models import Certificate
from courses import services as learning
from courses.models import EnrolmentSource, QuizAttempt
from tests.accounts.factories import make_user
from tests.classrooms.helpers import assign, make_class, make_pupil, make_school, make_teacher
from tests.xapi.helpers import RIGHT, journey_course, take_quiz, walk
from xapi import identity
from xapi.models import Statement

pytestmark = pytest.mark.django_db(transaction=False)

ADL = "http://adlnet.gov/expapi/verbs/"
SPECIFIC_VERBS = {
    "registered": RegisteredVerb,
    "answered": AnsweredVerb,
    "completed": CompletedVerb,
}


@pytest.fixture
def course(tmp_path, catalog):
    return journey_course(tmp_path)


def statements_of(user):
    return [row.data for row in Statement.objects.filter(user=user).order_by("created_at", "id")]


def kinds(statements):
    return [
        (s["verb"]["display"]["en-US"], s["object"]["definition"]["type"].rsplit("/", 1)[-1])
        for s in statements
    ]


def test_a_learners_journey_is_recorded_statement_by_statement(client, course):
    course_page, lessons, quiz = course
    learner = make_user()
    walk(client, learner, course_page, lessons, quiz)
    found = statements_of(learner)
    questions = [("answered", "cmi.interaction")] * 6
    assert kinds(found) == [
        ("registered", "course"),
        ("experienced", "lesson"),
        ("completed", "lesson"),
        ("experienced", "lesson"),
        ("completed", "lesson"),
        ("attempted", "assessment"),
        *questions,
        ("failed", "assessment"),
        ("attempted", "assessment"),
        *questions,
        ("passed", "assessment"),
        ("completed", "course"),
        ("earned", "certificate"),
    ]
    by_verb = {}
    for s in found:
        by_verb.setdefault(s["verb"]["display"]["en-US"], []).append(s)
    course_url = "http://testserver" + course_page.url
    assert by_verb["registered"][0]["object"]["id"] == course_url
    assert by_verb["experienced"][0]["object"]["id"] == "http://testserver" + lessons[0].url
    assert by_verb["experienced"][0]["context"]["contextActivities"]["parent"][0]["id"] == (
        course_url
    )
    failed, passed = by_verb["failed"][0], by_verb["passed"][0]
    assert failed["result"]["success"] is False and passed["result"]["success"] is True
    assert passed["result"]["score"] == {"scaled": 1.0, "raw": 100.0, "min": 0, "max": 100}
    assert failed["result"]["score"]["raw"] < 80
    assert passed["object"]["id"] == "http://testserver" + quiz.url
    # Each answer is a cmi.interaction of its quiz with the learner's response and its result.
    right = by_verb["answered"][6:]
    single = right[0]
    assert single["object"]["id"] == f"http://testserver{quiz.url}#question-q-single"
    assert single["object"]["definition"]["interactionType"] == "choice"
    assert single["result"] == {"response": "choice-0", "success": True, "score": {"scaled": 1.0}}
    assert single["context"]["contextActivities"]["parent"][0]["id"] == passed["object"]["id"]
    responses = [a["result"]["response"] for a in right]
    assert responses == [
        "choice-0",
        "choice-0[,]choice-1",
        "true",
        "米",
        "1000",
        # Targets in code-point order: 千克, 秒, 米.
        "source-0[.]target-0[,]source-1[.]target-2[,]source-2[.]target-1",
    ]
    wrong = by_verb["answered"][:6]
    assert [a["result"]["success"] for a in wrong] == [False] * 5 + [False]
    assert wrong[5]["result"]["score"]["scaled"] == pytest.approx(1 / 3, abs=0.0001)
    # One registration for the learner's whole course; zh-CN, the course's language.
    assert {s["context"]["registration"] for s in found} == {
        identity.registration(learner.enrolments.get().pk)
    }
    assert {s["context"]["language"] for s in found} == {"zh-CN"}
    assert by_verb["earned"][0]["verb"]["id"] == "http://id.tincanapi.com/verb/earned"


def test_every_statement_is_valid_by_ralphs_models(client, course):
    course_page, lessons, quiz = course
    learner = make_user()
    walk(client, learner, course_page, lessons, quiz)
    found = statements_of(learner)
    assert len({s["id"] for s in found}) == len(found) == 23
    for data in found:
        BaseXapiStatement.model_validate(data)
        assert data["version"] == "1.0.3"
        name = data["verb"]["display"]["en-US"]
        if name in SPECIFIC_VERBS:
            SPECIFIC_VERBS[name].model_validate(data["verb"])
        if data["verb"]["id"].startswith(ADL):
            assert data["verb"]["id"] == ADL + name
        kind = data["object"]["definition"]["type"]
        if kind.endswith("/course"):
            CourseActivity.model_validate(data["object"])
        if kind.endswith("/cmi.interaction"):
            # Ralph's cmi.interaction model checks the type and the plain definition and
            # forbids the interaction fields, which its interaction definition model checks.
            definition = data["object"]["definition"]
            plain = {k: definition[k] for k in ("type", "name", "description")}
            CMIInteractionActivity.model_validate({**data["object"], "definition": plain})
            BaseXapiActivityInteractionDefinition.model_validate(definition)
    registered = next(s for s in found if s["verb"]["display"]["en-US"] == "registered")
    # Ralph's model of the LMS profile's "registered to a course" statement, selector included.
    LMSRegisteredCourse.model_validate(registered)


def test_ralph_refuses_what_the_check_would_miss():
    """The check can fail: a statement with an e-mail actor and no object is refused."""
    with pytest.raises(ValueError):
        BaseXapiStatement.model_validate(
            {"actor": {"mbox": "nobody"}, "verb": {"id": ADL + "registered"}}
        )


def test_actors_are_opaque_stable_and_never_name_the_person(client, course):
    course_page, lessons, quiz = course
    learner = make_user(real_name="王小明", email="wang@example.com")
    other = make_user()
    walk(client, learner, course_page, lessons, quiz)
    learning.enrol(other, course_page)
    mine, theirs = statements_of(learner), statements_of(other)
    actors = {str(s["actor"]) for s in mine}
    assert len(actors) == 1
    account = mine[0]["actor"]["account"]
    assert account["homePage"] == "http://testserver"
    assert len(account["name"]) == 32
    assert theirs[0]["actor"]["account"]["name"] != account["name"]
    text = str(mine)
    for personal in ("王小明", "wang@example.com", learner.username, f"'{learner.pk}'"):
        assert personal not in text
    assert account["name"] != str(learner.pk) and str(learner.pk) != account["name"][-3:]


def test_a_rolled_back_event_leaves_no_statement(course):
    course_page, lessons, _ = course
    learner = make_user()
    with pytest.raises(RuntimeError), transaction.atomic():
        learning.enrol(learner, course_page)
        assert Statement.objects.filter(user=learner).count() == 1
        raise RuntimeError("the request fails after enrolling")
    assert not Statement.objects.filter(user=learner).exists()
    assert not learner.enrolments.exists()

    enrolment = learning.enrol(learner, course_page)
    with pytest.raises(RuntimeError), transaction.atomic():
        learning.complete_lesson(enrolment, lessons[0])
        raise RuntimeError("the request fails after completing")
    assert [s.verb for s in Statement.objects.filter(user=learner)] == ["registered"]


def test_a_certificate_that_cannot_be_issued_leaves_no_earned_statement(
    client, course, monkeypatch
):
    from certificates import documents

    def broken(*args, **kwargs):
        raise OSError("no font")

    monkeypatch.setattr(documents, "pdf_bytes", broken)
    course_page, lessons, quiz = course
    learner = make_user()
    walk(client, learner, course_page, lessons, quiz)
    assert not Certificate.objects.filter(user=learner).exists()
    verbs = [s.verb for s in Statement.objects.filter(user=learner)]
    assert "earned" not in verbs and verbs[-1] == "completed"


def test_a_second_submission_and_a_second_visit_add_nothing(client, course):
    course_page, lessons, quiz = course
    learner = make_user()
    learning.enrol(learner, course_page)
    client.force_login(learner)
    client.get(lessons[0].url)
    client.get(lessons[0].url)
    attempt = take_quiz(learner, quiz, RIGHT)
    before = Statement.objects.filter(user=learner).count()
    from courses.quiz import attempts

    attempts.submit_attempt(QuizAttempt.objects.get(pk=attempt.pk))
    assert Statement.objects.filter(user=learner).count() == before
    assert [s.verb for s in Statement.objects.filter(user=learner, verb="experienced")] == [
        "experienced"
    ]


def test_class_assignment_is_the_context_of_the_pupils_statements(client, course):
    course_page, lessons, quiz = course
    school = make_school("甲校")
    teacher = make_teacher(school)
    classroom = make_class(school, teacher, name="初二（3）班")
    pupil = make_pupil(school, classroom)
    assignment = assign(classroom, teacher, course_page)
    walk(
        client,
        pupil,
        course_page,
        lessons,
        quiz,
        source=EnrolmentSource.CLASS,
        organisation=school,
    )
    found = statements_of(pupil)
    for data in found:
        BaseXapiStatement.model_validate(data)
        grouping = data["context"]["contextActivities"]["grouping"]
        ids = [g["id"] for g in grouping]
        assert f"http://testserver/xapi/assignments/{assignment.pk}" in ids
        assert f"http://testserver/xapi/organisations/{school.pk}" in ids
        assert f"http://testserver/xapi/classes/{classroom.pk}" in ids
    # A learner who enrolled on their own carries no assignment.
    alone = make_user()
    learning.enrol(alone, course_page)
    assert "grouping" not in statements_of(alone)[0]["context"].get("contextActivities", {})
