import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import services
from courses.models import Enrolment, LessonPage, LessonProgress, QuizAttempt, Response
from courses.quiz import attempts
from courses.signals import course_completed
from tests.accounts.factories import make_user
from tests.courses.learning_helpers import RIGHT, WRONG, quiz_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_and_quiz(catalog, tmp_path):
    return quiz_course(tmp_path)


@pytest.fixture
def learner(client):
    user = make_user(real_name="李喆")
    client.force_login(user)
    return user


def answer_all(client, attempt, answers):
    for key, answer in answers.items():
        version = Response.objects.get(attempt=attempt, question_key=key).version
        response = client.post(
            f"/learn/attempts/{attempt.pk}/answer/",
            json.dumps({"key": key, "answer": answer, "version": version}),
            content_type="application/json",
        )
        assert response.status_code == 200, response.content


def test_enrol_once_study_and_complete_the_course(client, learner, course_and_quiz):
    course, quiz = course_and_quiz
    completions = []
    course_completed.connect(
        lambda sender, enrolment, **kw: completions.append(enrolment.pk),
        weak=False,
        dispatch_uid="test-completions",
    )
    try:
        client.post(f"/learn/courses/{course.pk}/enrol/")
        client.post(f"/learn/courses/{course.pk}/enrol/")
        enrolment = Enrolment.objects.get(user=learner, course=course)
        for lesson in LessonPage.objects.child_of(course):
            client.get(lesson.url)
            client.post(f"/learn/lessons/{lesson.pk}/complete/")
        enrolment.refresh_from_db()
        assert enrolment.progress == 67 and enrolment.completed_at is None

        client.post(f"/learn/quizzes/{quiz.pk}/start/")
        attempt = QuizAttempt.objects.get(user=learner)
        answer_all(client, attempt, RIGHT)
        client.post(f"/learn/attempts/{attempt.pk}/submit/")
        attempt.refresh_from_db()
        assert (attempt.score, attempt.passed) == (100, True)
        enrolment.refresh_from_db()
        assert enrolment.progress == 100 and enrolment.completed_at is not None
        assert completions == [enrolment.pk]
    finally:
        course_completed.disconnect(dispatch_uid="test-completions")
    html = client.get("/dashboard/").content.decode()
    assert course.title in html and "结业测验" in html


def test_failed_learner_retries_within_the_limit(client, learner, catalog, tmp_path):
    course, quiz = quiz_course(tmp_path, max_attempts=2)
    services.enrol(learner, course)
    for expected in (1, 2):
        client.post(f"/learn/quizzes/{quiz.pk}/start/")
        attempt = QuizAttempt.objects.get(user=learner, number=expected)
        answer_all(client, attempt, WRONG)
        client.post(f"/learn/attempts/{attempt.pk}/submit/")
        attempt.refresh_from_db()
        assert attempt.passed is False and attempt.score == 0
    response = client.post(f"/learn/quizzes/{quiz.pk}/start/")
    assert response.status_code == 302
    assert QuizAttempt.objects.filter(user=learner).count() == 2


def test_partial_credit_is_scored(client, learner, course_and_quiz):
    course, quiz = course_and_quiz
    services.enrol(learner, course)
    attempt = attempts.start_attempt(learner, quiz)
    answer_all(client, attempt, {"q-si": 0, "q-kg": True, "q-tools": [0], "q-short": "１９８５"})
    attempts.submit_attempt(attempt)
    attempt.refresh_from_db()
    assert attempt.score == 87.5 and attempt.passed


def test_attempt_page_never_reveals_answers_or_feedback(client, learner, course_and_quiz):
    course, quiz = course_and_quiz
    services.enrol(learner, course)
    attempt = attempts.start_attempt(learner, quiz)
    html = client.get(f"/learn/attempts/{attempt.pk}/").content.decode()
    for secret in ("市制已废止", "回忆七个基本单位", "正确。", "fraction", "1985", "-100"):
        assert secret not in html, secret
    assert "国际单位制" in html  # the choices themselves are shown


def test_review_after_submit_shows_answers_and_feedback(client, learner, course_and_quiz):
    course, quiz = course_and_quiz
    services.enrol(learner, course)
    attempt = attempts.start_attempt(learner, quiz)
    answer_all(client, attempt, WRONG)
    attempts.submit_attempt(attempt)
    html = client.get(f"/learn/attempts/{attempt.pk}/").content.decode()
    assert "回忆七个基本单位" in html and "1985" in html


def test_review_after_pass_hides_answers_from_a_failed_learner(client, learner, catalog, tmp_path):
    course, quiz = quiz_course(tmp_path, slug="strict", review="after_pass")
    services.enrol(learner, course)
    attempt = attempts.start_attempt(learner, quiz)
    answer_all(client, attempt, WRONG)
    attempts.submit_attempt(attempt)
    html = client.get(f"/learn/attempts/{attempt.pk}/").content.decode()
    assert "1985" not in html and "回忆七个基本单位" not in html


def test_another_learners_attempt_is_404(client, learner, course_and_quiz):
    course, quiz = course_and_quiz
    other = make_user()
    services.enrol(other, course)
    attempt = attempts.start_attempt(other, quiz)
    payload = json.dumps({"key": "q-si", "answer": 0, "version": 0})
    assert client.get(f"/learn/attempts/{attempt.pk}/").status_code == 404
    assert (
        client.post(
            f"/learn/attempts/{attempt.pk}/answer/", payload, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.post(f"/learn/attempts/{attempt.pk}/submit/").status_code == 404
    assert Response.objects.get(attempt=attempt, question_key="q-si").answer is None
    attempt.refresh_from_db()
    assert attempt.is_open


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        json.dumps({"key": "q-si"}),
        json.dumps({"key": 5, "answer": 0, "version": 0}),
        json.dumps({"key": "q-si", "answer": "zero", "version": 0}),
        json.dumps({"key": "q-si", "answer": 99, "version": 0}),
        json.dumps({"key": "no-such-question", "answer": 0, "version": 0}),
        json.dumps({"key": "q-si", "answer": 0, "version": "0"}),
        json.dumps({"key": "q-short", "answer": "x" * 70000, "version": 0}),
    ],
)
def test_malformed_answers_get_400_and_change_nothing(client, learner, course_and_quiz, body):
    course, quiz = course_and_quiz
    services.enrol(learner, course)
    attempt = attempts.start_attempt(learner, quiz)
    response = client.post(
        f"/learn/attempts/{attempt.pk}/answer/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert not Response.objects.filter(attempt=attempt).exclude(answer=None).exists()


def test_stale_or_replayed_answer_is_refused(client, learner, course_and_quiz):
    course, quiz = course_and_quiz
    services.enrol(learner, course)
    attempt = attempts.start_attempt(learner, quiz)
    url = f"/learn/attempts/{attempt.pk}/answer/"
    first = json.dumps({"key": "q-si", "answer": 0, "version": 0})
    assert client.post(url, first, content_type="application/json").status_code == 200
    newer = json.dumps({"key": "q-si", "answer": 1, "version": 1})
    assert client.post(url, newer, content_type="application/json").status_code == 200
    replay = client.post(url, first, content_type="application/json")
    assert replay.status_code == 409 and replay.json()["error"] == "stale"
    assert Response.objects.get(attempt=attempt, question_key="q-si").answer == 1


def test_a_retry_whose_first_try_was_stored_learns_the_current_version(
    client, learner, course_and_quiz
):
    # A worker killed after the commit, before the reply: the page sends the save again with
    # the same version. The 409 says what is stored, so the page can take the new version.
    course, quiz = course_and_quiz
    services.enrol(learner, course)
    attempt = attempts.start_attempt(learner, quiz)
    url = f"/learn/attempts/{attempt.pk}/answer/"
    save = json.dumps({"key": "q-si", "answer": 2, "version": 0})
    assert client.post(url, save, content_type="application/json").status_code == 200
    retry = client.post(url, save, content_type="application/json")
    assert retry.status_code == 409 and retry.json()["error"] == "stale"
    assert retry.json()["answer"] == 2 and retry.json()["version"] == 1
    change = json.dumps({"key": "q-si", "answer": 0, "version": retry.json()["version"]})
    assert client.post(url, change, content_type="application/json").status_code == 200
    assert Response.objects.get(attempt=attempt, question_key="q-si").answer == 0


def test_answers_after_the_deadline_and_grace_are_refused(client, learner, catalog, tmp_path):
    from datetime import timedelta

    from django.utils import timezone

    course, quiz = quiz_course(tmp_path, slug="timed", time_limit=10)
    services.enrol(learner, course)
    attempt = attempts.start_attempt(learner, quiz)
    url = f"/learn/attempts/{attempt.pk}/answer/"
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(seconds=20)
    )
    in_grace = json.dumps({"key": "q-si", "answer": 0, "version": 0})
    assert client.post(url, in_grace, content_type="application/json").status_code == 200
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(seconds=31)
    )
    late = json.dumps({"key": "q-kg", "answer": True, "version": 0})
    response = client.post(url, late, content_type="application/json")
    assert response.status_code == 409 and response.json()["error"] == "deadline"
    attempt.refresh_from_db()
    assert not attempt.is_open and attempt.closed_by_deadline
    assert attempt.score == 25  # the answer saved in time counts, the late one does not


def test_double_submission_grades_once(client, learner, course_and_quiz):
    course, quiz = course_and_quiz
    services.enrol(learner, course)
    attempt = attempts.start_attempt(learner, quiz)
    answer_all(client, attempt, RIGHT)
    client.post(f"/learn/attempts/{attempt.pk}/submit/")
    attempt.refresh_from_db()
    first = (attempt.submitted_at, attempt.score)
    client.post(f"/learn/attempts/{attempt.pk}/submit/")
    attempt.refresh_from_db()
    assert (attempt.submitted_at, attempt.score) == first
    assert QuizAttempt.objects.filter(user=learner).count() == 1


def test_start_twice_resumes_the_open_attempt(client, learner, course_and_quiz):
    course, quiz = course_and_quiz
    services.enrol(learner, course)
    client.post(f"/learn/quizzes/{quiz.pk}/start/")
    client.post(f"/learn/quizzes/{quiz.pk}/start/")
    assert QuizAttempt.objects.filter(user=learner).count() == 1


def test_editing_the_quiz_during_an_attempt_changes_nothing_for_it(
    client, learner, course_and_quiz
):
    course, quiz = course_and_quiz
    services.enrol(learner, course)
    attempt = attempts.start_attempt(learner, quiz)
    quiz.gift = "::q-si:: 改过的题目 {=市制 ~国际单位制}\n"
    quiz.pass_mark = 100
    quiz.save_revision().publish()
    answer_all(client, attempt, RIGHT)
    attempts.submit_attempt(attempt)
    attempt.refresh_from_db()
    assert attempt.score == 100 and attempt.passed
    assert attempt.snapshot["pass_mark"] == 75


def test_saving_an_answer_costs_at_most_six_queries(client, learner, course_and_quiz):
    course, quiz = course_and_quiz
    services.enrol(learner, course)
    attempt = attempts.start_attempt(learner, quiz)
    url = f"/learn/attempts/{attempt.pk}/answer/"
    client.post(
        url, json.dumps({"key": "q-si", "answer": 0, "version": 0}), content_type="application/json"
    )
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            url,
            json.dumps({"key": "q-si", "answer": 1, "version": 1}),
            content_type="application/json",
        )
    assert response.status_code == 200
    assert len(ctx.captured_queries) <= 6, [q["sql"][:80] for q in ctx.captured_queries]


def _submit_queries(client, learner, tmp_path, questions, slug):
    gift = "\n\n".join(f"::q{i}:: 第{i}题 {{T}}" for i in range(questions)) + "\n"
    course, quiz = quiz_course(tmp_path, slug=slug, gift=gift)
    services.enrol(learner, course)
    attempt = attempts.start_attempt(learner, quiz)
    with CaptureQueriesContext(connection) as ctx:
        client.post(f"/learn/attempts/{attempt.pk}/submit/")
    attempt.refresh_from_db()
    assert not attempt.is_open
    return len(ctx.captured_queries)


def test_submitting_costs_the_same_for_5_and_100_questions(client, learner, catalog, tmp_path):
    few = _submit_queries(client, learner, tmp_path, 5, "five")
    many = _submit_queries(client, learner, tmp_path, 100, "hundred")
    assert few == many


def test_dashboard_queries_do_not_grow_with_courses(client, learner, catalog, tmp_path):
    def count():
        client.get("/dashboard/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/dashboard/").status_code == 200
        return len(ctx.captured_queries)

    course, quiz = quiz_course(tmp_path, slug="d1")
    services.enrol(learner, course)
    attempts.submit_attempt(attempts.start_attempt(learner, quiz))
    one = count()
    for n in range(2, 8):
        course, quiz = quiz_course(tmp_path, slug=f"d{n}")
        enrolment = services.enrol(learner, course)
        services.record_visit(enrolment, LessonPage.objects.child_of(course).first())
        attempt = attempts.start_attempt(learner, quiz)
        attempts.submit_attempt(attempt)
    assert count() == one
    # Each quiz result names its course (found by tree path, not one query per row).
    page = client.get("/dashboard/").content.decode()
    assert f"{course.title} · {quiz.title}" in page


def test_lesson_progress_records_first_completion_only(learner, course_and_quiz):
    course, _ = course_and_quiz
    enrolment = services.enrol(learner, course)
    lesson = LessonPage.objects.child_of(course).first()
    services.complete_lesson(enrolment, lesson)
    first = LessonProgress.objects.get(user=learner, lesson=lesson).completed_at
    services.complete_lesson(enrolment, lesson)
    assert LessonProgress.objects.get(user=learner, lesson=lesson).completed_at == first


def test_opening_lessons_remembers_where_the_learner_is(client, learner, course_and_quiz):
    course, _ = course_and_quiz
    enrolment = services.enrol(learner, course)
    first, second = LessonPage.objects.child_of(course).order_by("path")[:2]
    client.get(first.url)
    seen = LessonProgress.objects.get(user=learner, lesson=first).first_seen_at
    client.get(second.url)
    enrolment.refresh_from_db()
    assert enrolment.last_unit_id == second.pk
    resume = client.post(f"/learn/courses/{course.pk}/enrol/")
    assert resume["Location"] == second.url

    # Opening the first lesson again moves "continue" back without a second record of it.
    with CaptureQueriesContext(connection) as ctx:
        client.get(first.url)
    # PostgreSQL's UNION of the unit status starts with "(SELECT".
    writes = [
        q["sql"] for q in ctx.captured_queries if not q["sql"].lstrip("(").startswith("SELECT")
    ]
    assert len(writes) == 1 and writes[0].startswith("UPDATE"), writes
    assert LessonProgress.objects.get(user=learner, lesson=first).first_seen_at == seen
    assert LessonProgress.objects.filter(user=learner).count() == 2
    enrolment.refresh_from_db()
    assert enrolment.last_unit_id == first.pk


OFF_SITE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "javascript:alert(1)",
    "http:/evil.example/",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_completing_a_lesson_never_redirects_off_site(client, learner, course_and_quiz, target):
    course, _quiz = course_and_quiz
    client.post(f"/learn/courses/{course.pk}/enrol/")
    lesson = LessonPage.objects.child_of(course).first()
    response = client.post(f"/learn/lessons/{lesson.pk}/complete/", {"next": target})
    assert response.status_code == 302 and response["Location"] == lesson.url
    assert LessonProgress.objects.filter(user=learner, lesson=lesson).exists()


def test_completing_a_lesson_returns_to_the_page_it_came_from(client, learner, course_and_quiz):
    course, _quiz = course_and_quiz
    client.post(f"/learn/courses/{course.pk}/enrol/")
    first, second = LessonPage.objects.child_of(course)[:2]
    response = client.post(f"/learn/lessons/{first.pk}/complete/", {"next": second.url})
    assert response["Location"] == second.url


def test_not_enrolled_learner_cannot_start_or_complete(client, learner, course_and_quiz):
    course, quiz = course_and_quiz
    lesson = LessonPage.objects.child_of(course).first()
    assert client.post(f"/learn/lessons/{lesson.pk}/complete/").status_code == 404
    client.post(f"/learn/quizzes/{quiz.pk}/start/")
    assert not QuizAttempt.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, course_and_quiz):
    course, quiz = course_and_quiz
    for url in (
        f"/learn/courses/{course.pk}/enrol/",
        f"/learn/quizzes/{quiz.pk}/start/",
        "/dashboard/",
    ):
        response = client.post(url) if "learn" in url else client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_answer_and_submit_posts_need_the_csrf_token(course_and_quiz):
    from django.test import Client

    course, quiz = course_and_quiz
    learner = make_user()
    services.enrol(learner, course)
    attempt = attempts.start_attempt(learner, quiz)
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    payload = json.dumps({"key": "q-si", "answer": 0, "version": 0})
    assert (
        client.post(
            f"/learn/attempts/{attempt.pk}/answer/", payload, content_type="application/json"
        ).status_code
        == 403
    )
    assert client.post(f"/learn/attempts/{attempt.pk}/submit/").status_code == 403
    attempt.refresh_from_db()
    assert attempt.is_open
    assert Response.objects.get(attempt=attempt, question_key="q-si").answer is None


def _submit_form_queries(client, learner, tmp_path, questions, slug):
    gift = "\n\n".join(f"::q{i}:: 第{i}题 {{T}}" for i in range(questions)) + "\n"
    course, quiz = quiz_course(tmp_path, slug=slug, gift=gift)
    services.enrol(learner, course)
    attempt = attempts.start_attempt(learner, quiz)
    form = {}
    for i in range(questions):  # saved one by one by the page, then posted again with the form
        attempts.save_answer(attempt, f"q{i}", True, 0)
        form[f"q-q{i}"], form[f"v-q{i}"] = "true", "1"
    with CaptureQueriesContext(connection) as ctx:
        client.post(f"/learn/attempts/{attempt.pk}/submit/", form)
    attempt.refresh_from_db()
    assert attempt.score == 100
    return len(ctx.captured_queries)


def test_submitting_the_form_does_not_rewrite_saved_answers(client, learner, catalog, tmp_path):
    assert _submit_form_queries(client, learner, tmp_path, 5, "f5") == _submit_form_queries(
        client, learner, tmp_path, 40, "f40"
    )


def _start_queries(client, learner, tmp_path, questions, slug):
    gift = "\n\n".join(f"::q{i}:: 第{i}题 {{T}}" for i in range(questions)) + "\n"
    course, quiz = quiz_course(tmp_path, slug=slug, gift=gift)
    services.enrol(learner, course)
    client.force_login(learner)
    client.get("/dashboard/")  # the session and its user are read once before, as in use
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(f"/learn/quizzes/{quiz.pk}/start/")
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get(user=learner, quiz=quiz)
    assert attempt.responses.count() == questions
    return [q["sql"][:80] for q in ctx.captured_queries]


def test_starting_a_quiz_costs_the_same_few_queries_for_5_and_100_questions(
    client, learner, catalog, tmp_path
):
    """Everybody presses Start in the same minute of an exam: the start must stay cheap."""
    few = _start_queries(client, learner, tmp_path, 5, "start-five")
    many = _start_queries(client, learner, tmp_path, 100, "start-hundred")
    assert len(few) == len(many)
    # Session, user, the quiz page and its view restrictions, a savepoint and its release,
    # the locked enrolment (with its course), the attempts so far, the attempt, its response
    # rows and its xAPI statement (an attempt started and never submitted is a learning
    # event too; tests/xapi/test_attempts.py).
    assert len(few) <= 11, few
    assert sum("xapi_statement" in sql for sql in few) == 1, few
