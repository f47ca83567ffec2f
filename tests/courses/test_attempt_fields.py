"""The attempt page's questions: a question nobody has answered is rendered once per process
and shared (courses/templatetags/quiz_fields.py). Sharing must change nothing a learner sees:
each keeps the number of the question's place in their own shuffled quiz, their own answers
and their language, and an edited question shows on the next attempt."""

import json
import re

import pytest
from django.conf import settings
from django.test import Client

from courses import services
from courses.quiz import attempts
from courses.templatetags import quiz_fields
from tests.accounts.factories import make_user
from tests.courses.learning_helpers import quiz_course

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_store():
    quiz_fields._unanswered.clear()
    yield
    quiz_fields._unanswered.clear()


def attempt_page(course, quiz, name, language="zh-hans"):
    learner = make_user(username=name)
    services.enrol(learner, course)
    client = Client()
    client.force_login(learner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    attempt = attempts.start_attempt(learner, quiz)
    response = client.get(f"/learn/attempts/{attempt.pk}/")
    assert response.status_code == 200
    return client, attempt, response.content.decode()


def questions(html):
    """(number, key, the fieldset's HTML) of each question, in page order."""
    return [
        (int(number), key, block)
        for block, key, number in re.findall(
            r'(<fieldset class="question card" data-key="([^"]+)".*?'
            r'<span class="qnum">(\d+)</span>.*?</fieldset>)',
            html,
            re.S,
        )
    ]


def test_shared_questions_keep_each_learners_own_order_and_numbers(catalog, tmp_path):
    course, quiz = quiz_course(tmp_path, slug="fields-order")
    pages = [attempt_page(course, quiz, f"order-{n}") for n in range(12)]
    orders = set()
    for _client, attempt, html in pages:
        shown = questions(html)
        # Numbered 1, 2, 3, 4 down the page, in this learner's own order of the questions.
        assert [number for number, _key, _block in shown] == [1, 2, 3, 4]
        assert [key for _n, key, _b in shown] == [i["key"] for i in attempt.snapshot["items"]]
        orders.add(tuple(key for _n, key, _b in shown))
    assert len(orders) > 1  # shuffled: the same question sat at different places
    # What was shared is exactly what a learner would have got rendered for them alone.
    for client, attempt, html in pages[-3:]:
        quiz_fields._unanswered.clear()
        alone = client.get(f"/learn/attempts/{attempt.pk}/").content.decode()
        assert questions(alone) == questions(html)


def test_an_answer_stays_with_its_learner(catalog, tmp_path):
    course, quiz = quiz_course(tmp_path, slug="fields-answer", shuffle=False)
    client, attempt, _html = attempt_page(course, quiz, "answers")
    response = client.post(
        f"/learn/attempts/{attempt.pk}/answer/",
        json.dumps({"key": "q-kg", "answer": True, "version": 0}),
        content_type="application/json",
    )
    assert response.status_code == 200
    mine = client.get(f"/learn/attempts/{attempt.pk}/").content.decode()
    _other_client, _other, theirs = attempt_page(course, quiz, "someone-else")
    true_radio = 'name="q-q-kg" value="true"'
    assert f"{true_radio} checked" in mine
    assert true_radio in theirs and f"{true_radio} checked" not in theirs
    assert not any("checked" in "".join(parts) for parts in quiz_fields._unanswered.values())


def test_each_language_gets_its_own_words(catalog, tmp_path):
    course, quiz = quiz_course(tmp_path, slug="fields-language", shuffle=False)
    _c, _a, chinese = attempt_page(course, quiz, "zh-learner")
    _c, _a, english = attempt_page(course, quiz, "en-learner", language="en")
    kg_zh = next(block for _n, key, block in questions(chinese) if key == "q-kg")
    kg_en = next(block for _n, key, block in questions(english) if key == "q-kg")
    assert "正确" in kg_zh and "错误" in kg_zh
    assert "True" in kg_en and "False" in kg_en and "正确" not in kg_en


def test_an_edited_question_shows_on_the_next_attempt(catalog, tmp_path):
    course, quiz = quiz_course(tmp_path, slug="fields-edit", shuffle=False)
    _c, _a, before = attempt_page(course, quiz, "before-edit")
    assert "质量的国际单位制基本单位是千克。" in before
    quiz.gift = quiz.gift.replace("质量的国际单位制基本单位是千克。", "长度的基本单位是米。")
    quiz.save_revision().publish()
    _c, _a, after = attempt_page(course, quiz, "after-edit")
    assert "长度的基本单位是米。" in after
    assert "质量的国际单位制基本单位是千克。" not in after


def test_a_question_holding_a_nul_of_its_own_is_rendered_for_its_page_alone():
    # Imported text could carry one where the number's slot is marked: nothing is shared then.
    item = {"key": "odd", "number": 3, "qtype": "true_false", "text": "带\x00的题", "answer": None}
    html = quiz_fields.question_field({**item, "version": 0})
    assert '<span class="qnum">3</span> 带\x00的题' in html
    assert quiz_fields._unanswered == {}
