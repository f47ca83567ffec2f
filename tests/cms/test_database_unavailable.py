"""While the database restarts, people are told to wait a moment: 503, never a 500."""

import json

import pytest
from django.db import OperationalError

from accounts.backends import ModelBackend
from courses import services
from courses.models import Enrolment, Response
from courses.quiz import attempts
from tests.accounts.factories import make_user
from tests.courses.learning_helpers import quiz_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    # As in production: the error handler answers, instead of the test client re-raising.
    client.raise_request_exception = False
    return client


def database_gone(*args, **kwargs):
    raise OperationalError("terminating connection due to administrator command")


def test_a_page_says_to_wait_a_moment(client, catalog, monkeypatch):
    client.force_login(make_user(real_name="王喆"))
    monkeypatch.setattr(Enrolment.objects, "for_user", database_gone)
    response = client.get("/dashboard/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    html = response.content.decode()
    assert "系统正在恢复" in html and "不会丢失" in html


def test_an_answer_save_gets_json_the_quiz_page_retries(client, catalog, tmp_path, monkeypatch):
    learner = make_user(real_name="李玥")
    client.force_login(learner)
    course, quiz = quiz_course(tmp_path)
    services.enrol(learner, course)
    attempt = attempts.start_attempt(learner, quiz)
    monkeypatch.setattr(attempts, "save_answer", database_gone)
    response = client.post(
        f"/learn/attempts/{attempt.pk}/answer/",
        json.dumps({"key": "q-si", "answer": 2, "version": 0}),
        content_type="application/json",
    )
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json()["error"] == "unavailable"
    assert Response.objects.get(attempt=attempt, question_key="q-si").answer is None


def test_the_database_gone_before_the_view_gets_the_same_answer(client, catalog, monkeypatch):
    client.force_login(make_user(real_name="赵敏"))
    # The first middleware to ask who is signed in meets the outage, not the view.
    monkeypatch.setattr(ModelBackend, "get_user", database_gone)
    response = client.get("/dashboard/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "系统正在恢复" in response.content.decode()


def test_other_errors_are_not_disguised(client, catalog, monkeypatch):
    client.force_login(make_user(real_name="陈昇"))
    monkeypatch.setattr(Enrolment.objects, "for_user", lambda *a: 1 / 0)
    assert client.get("/dashboard/").status_code == 500
