"""Per-question right/wrong marks on the result page follow the quiz's review policy: a quiz
that keeps its answers does not tell, question by question, which answers were right."""

import pytest

from courses import services
from courses.quiz import attempts
from tests.accounts.factories import make_user
from tests.courses.learning_helpers import RIGHT, WRONG, quiz_course

pytestmark = pytest.mark.django_db

MARKS = ("✓", "✗", "◐")


@pytest.fixture
def learner(client):
    user = make_user(real_name="李喆")
    client.force_login(user)
    return user


def _result(client, learner, quiz, course, answers):
    services.enrol(learner, course)
    attempt = attempts.start_attempt(learner, quiz)
    for key, answer in answers.items():
        attempts.save_answer(attempt, key, answer, 0)
    attempts.submit_attempt(attempt)
    html = client.get(f"/learn/attempts/{attempt.pk}/").content.decode()
    return html.split('<ol class="review">', 1)[1]  # the answers, not the overall verdict


def test_a_never_review_quiz_shows_no_per_question_marks(client, learner, catalog, tmp_path):
    course, quiz = quiz_course(tmp_path, slug="never-marks", review="never")
    html = _result(client, learner, quiz, course, {**WRONG, "q-si": RIGHT["q-si"]})
    assert not any(mark in html for mark in MARKS)
    assert "国际单位制" in html  # the learner's own answers are still listed


def test_an_after_pass_quiz_shows_no_marks_to_a_learner_who_failed(
    client, learner, catalog, tmp_path
):
    course, quiz = quiz_course(tmp_path, slug="pass-marks", review="after_pass")
    html = _result(client, learner, quiz, course, {**WRONG, "q-si": RIGHT["q-si"]})
    assert not any(mark in html for mark in MARKS)


def test_an_after_submit_quiz_marks_each_answer(client, learner, catalog, tmp_path):
    course, quiz = quiz_course(tmp_path, slug="open-marks", review="after_submit")
    html = _result(client, learner, quiz, course, {**WRONG, "q-si": RIGHT["q-si"]})
    assert "✓" in html and "✗" in html
