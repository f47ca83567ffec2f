"""Commits of the run-time data: ownership, CSRF, versions, retries, completion rules."""

import json
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from courses import services
from courses.models import Enrolment, UnitResult
from courseware.launch import launch_urls
from courseware.models import PackageRecord
from tests.accounts.factories import make_user
from tests.courseware.helpers import (
    GOLF_4TH,
    GOLF_12,
    GOLF_BASIC,
    TRUE_FALSE,
    add_h5p_unit,
    add_scorm_unit,
    course,
    post_json,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scorm(catalog, client, tmp_path):
    course_page = course(tmp_path, lessons=1)
    unit = add_scorm_unit(course_page, GOLF_BASIC)
    learner = make_user(real_name="陈静")
    services.enrol(learner, course_page)
    client.force_login(learner)
    return course_page, unit, learner


def url(unit):
    return f"/courseware/units/{unit.pk}/commit/"


def commit(client, unit, version, cmi, *, sco="item_1", terminated=False, commit_id=None):
    return post_json(
        client,
        url(unit),
        {
            "commit": str(commit_id or uuid.uuid4()),
            "version": version,
            "sco": sco,
            "cmi": cmi,
            "terminated": terminated,
        },
    )


def test_progress_is_saved_and_resumes(scorm, client):
    _, unit, learner = scorm
    cmi = {
        "cmi": {"location": "page-3", "suspend_data": "a=1;b=2", "completion_status": "incomplete"}
    }
    response = commit(client, unit, 0, cmi)
    assert response.status_code == 200
    assert response.json() == {
        "version": 1,
        "completion": "incomplete",
        "success": "unknown",
        "score": None,
    }
    record = PackageRecord.objects.get(user=learner, unit=unit)
    assert (record.location, record.suspend_data, record.attempts) == ("page-3", "a=1;b=2", 1)
    # The next launch carries what was saved.
    page = Client().get(launch_urls(unit, learner.pk)[0]["url"]).content.decode()
    assert '"location":"page-3"' in page and '"suspend_data":"a=1;b=2"' in page
    assert not UnitResult.objects.filter(user=learner).exists()


def test_a_2004_unit_completes_with_its_score_and_counts_for_the_course(scorm, client):
    course_page, unit, learner = scorm
    cmi = {
        "completion_status": "completed",
        "success_status": "passed",
        "score": {"scaled": "0.8", "raw": "80", "max": "100"},
        "session_time": "PT5M30S",
    }
    response = commit(client, unit, 0, cmi, terminated=True)
    assert response.json()["completion"] == "completed"
    assert response.json()["success"] == "passed" and response.json()["score"] == 0.8
    result = UnitResult.objects.get(user=learner, unit=unit)
    assert result.completed_at is not None and result.passed is True and result.score == 0.8
    enrolment = Enrolment.objects.get(user=learner, course=course_page)
    assert enrolment.progress == 50  # one lesson of two units left
    record = PackageRecord.objects.get(user=learner, unit=unit)
    assert record.total_seconds == 330


def test_a_2004_unit_completed_but_failed_is_not_complete(scorm, client):
    _, unit, learner = scorm
    cmi = {"completion_status": "completed", "success_status": "failed", "score": {"scaled": 0.3}}
    reply = commit(client, unit, 0, cmi).json()
    assert (reply["completion"], reply["success"], reply["score"]) == ("incomplete", "failed", 0.3)
    result = UnitResult.objects.get(user=learner, unit=unit)
    assert result.completed_at is None and result.passed is False


def test_a_12_unit_completes_on_passed_with_raw_over_max(catalog, client, tmp_path):
    course_page = course(tmp_path, slug="twelve")
    unit = add_scorm_unit(course_page, GOLF_12)
    learner = make_user()
    services.enrol(learner, course_page)
    client.force_login(learner)
    cmi = {
        "core": {
            "lesson_status": "passed",
            "score": {"raw": "45", "max": "50"},
            "session_time": "0000:01:05.50",
            "lesson_location": "p2",
        },
        "suspend_data": "x",
    }
    reply = commit(client, unit, 0, cmi, terminated=True).json()
    assert (reply["completion"], reply["success"], reply["score"]) == ("completed", "passed", 0.9)
    record = PackageRecord.objects.get(user=learner, unit=unit)
    assert (record.total_seconds, record.location) == (65, "p2")
    enrolment = Enrolment.objects.get(user=learner, course=course_page)
    assert enrolment.progress == 50  # and the lesson left to read


def test_flattened_cmi_keys_are_read_too(scorm, client):
    _, unit, _ = scorm
    reply = commit(
        client,
        unit,
        0,
        {"cmi.completion_status": "completed", "cmi.score.raw": "7", "cmi.score.max": "10"},
    ).json()
    assert reply["completion"] == "completed" and reply["score"] == 0.7


def test_a_stale_version_is_refused_and_changes_nothing(scorm, client):
    _, unit, learner = scorm
    commit(client, unit, 0, {"location": "one"})
    response = commit(client, unit, 0, {"location": "other tab"})
    assert response.status_code == 409
    assert response.json()["version"] == 1
    record = PackageRecord.objects.get(user=learner, unit=unit)
    assert (record.location, record.version) == ("one", 1)


def test_a_retried_commit_is_applied_once(scorm, client):
    _, unit, learner = scorm
    commit_id = uuid.uuid4()
    cmi = {"location": "end", "session_time": "PT1M"}
    first = commit(client, unit, 0, cmi, terminated=True, commit_id=commit_id)
    # The reply was lost; the player sends the same commit again.
    again = commit(client, unit, 0, cmi, terminated=True, commit_id=commit_id)
    assert first.status_code == again.status_code == 200
    assert again.json()["version"] == 1
    record = PackageRecord.objects.get(user=learner, unit=unit)
    assert (record.version, record.total_seconds, record.attempts) == (1, 60, 1)


def test_session_time_is_summed_once_per_session(scorm, client):
    _, unit, learner = scorm
    version = 0
    for _session in range(2):
        for step in ("PT10S", "PT20S"):  # a commit mid-session reports the time so far
            version = commit(client, unit, version, {"session_time": step}).json()["version"]
        version = commit(
            client, unit, version, {"session_time": "PT1M30S"}, terminated=True
        ).json()["version"]
    record = PackageRecord.objects.get(user=learner, unit=unit)
    assert (record.total_seconds, record.attempts) == (180, 2)


BAD_COMMITS = {
    "no commit id": {"version": 0, "sco": "item_1", "cmi": {}},
    "commit id not a uuid": {"commit": "x", "version": 0, "sco": "item_1", "cmi": {}},
    "version text": {"commit": str(uuid.uuid4()), "version": "0", "sco": "item_1", "cmi": {}},
    "unknown sco": {"commit": str(uuid.uuid4()), "version": 0, "sco": "nope", "cmi": {}},
    "cmi a list": {"commit": str(uuid.uuid4()), "version": 0, "sco": "item_1", "cmi": [1]},
    "terminated text": {
        "commit": str(uuid.uuid4()),
        "version": 0,
        "sco": "item_1",
        "cmi": {},
        "terminated": "yes",
    },
    "not an object": [1, 2],
}


@pytest.mark.parametrize("case", list(BAD_COMMITS))
def test_bad_input_is_refused_with_a_message_and_changes_nothing(scorm, client, case):
    _, unit, learner = scorm
    commit(client, unit, 0, {"location": "kept"})
    response = post_json(client, url(unit), BAD_COMMITS[case])
    assert response.status_code == 400
    assert response.json()["message"]
    record = PackageRecord.objects.get(user=learner, unit=unit)
    assert (record.version, record.location) == (1, "kept")


def test_not_json_is_refused(scorm, client):
    _, unit, _ = scorm
    response = client.post(url(unit), "{not json", content_type="application/json")
    assert response.status_code == 400 and "JSON" in response.json()["message"]


def test_nobody_else_commits(scorm, client, tmp_path):
    course_page, unit, learner = scorm
    data = {"commit": str(uuid.uuid4()), "version": 0, "sco": "item_1", "cmi": {}}
    stranger = Client()
    stranger.force_login(make_user())
    assert post_json(stranger, url(unit), data).status_code == 404
    assert post_json(Client(), url(unit), data).status_code == 404  # not signed in
    lesson = course_page.get_children().exclude(pk=unit.pk).first()
    assert post_json(client, f"/courseware/units/{lesson.pk}/commit/", data).status_code == 404
    assert post_json(client, "/courseware/units/999999/commit/", data).status_code == 404
    # Somebody else's unit: another course's SCORM unit the learner is not enrolled in.
    other = add_scorm_unit(course(tmp_path, slug="other-course"), GOLF_BASIC, slug="other-unit")
    assert post_json(client, url(other), data).status_code == 404
    assert PackageRecord.objects.count() == 0
    # A learner who left the course can no longer commit to an existing record.
    assert commit(client, unit, 0, {}).status_code == 200
    Enrolment.objects.filter(user=learner).delete()
    assert commit(client, unit, 1, {}).status_code == 404


def test_commits_need_the_csrf_token(scorm):
    _, unit, learner = scorm
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    data = {"commit": str(uuid.uuid4()), "version": 0, "sco": "item_1", "cmi": {}}
    assert post_json(strict, url(unit), data).status_code == 403
    strict.get(unit.url)  # the page sets the CSRF cookie, as for the quiz page
    token = strict.cookies["csrftoken"].value
    response = strict.post(
        url(unit), json.dumps(data), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200


def test_an_ordinary_commit_costs_at_most_four_queries(scorm, client):
    _, unit, _ = scorm
    commit(client, unit, 0, {"location": "1"})
    with CaptureQueriesContext(connection) as ctx:
        response = commit(client, unit, 1, {"location": "2", "suspend_data": "s" * 4000})
    assert response.status_code == 200
    assert len(ctx.captured_queries) <= 4, [q["sql"][:80] for q in ctx.captured_queries]


def test_several_scos_complete_the_unit_when_each_has(catalog, client, tmp_path):
    course_page = course(tmp_path, slug="sequenced")
    unit = add_scorm_unit(course_page, GOLF_4TH)
    learner = make_user()
    services.enrol(learner, course_page)
    client.force_login(learner)
    scos = [sco["id"] for sco in unit.package.scos]
    version = 0
    for sco in scos[:-1]:
        reply = commit(client, unit, version, {"completion_status": "completed"}, sco=sco).json()
        version = reply["version"]
        assert reply["completion"] == "incomplete"
    reply = commit(
        client,
        unit,
        version,
        {"completion_status": "completed", "success_status": "passed", "score": {"scaled": 1}},
        sco=scos[-1],
    ).json()
    assert reply["completion"] == "completed"
    assert UnitResult.objects.get(user=learner, unit=unit).completed_at is not None
    record = PackageRecord.objects.get(user=learner, unit=unit)
    assert record.last_sco == scos[-1] and set(scos) <= set(record.cmi)


def statement(verb, *, success=None, raw=None, maximum=None, parent=False):
    data = {
        "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
        "object": {"id": "http://example.com/h5p/1"},
        "result": {"completion": True},
    }
    if success is not None:
        data["result"]["success"] = success
    if raw is not None:
        data["result"]["score"] = {"raw": raw, "max": maximum}
    if parent:
        data["context"] = {"contextActivities": {"parent": [{"id": "http://example.com/h5p/0"}]}}
    return data


@pytest.fixture
def h5p(catalog, client, tmp_path):
    course_page = course(tmp_path, slug="h5p-commits")
    unit = add_h5p_unit(course_page, TRUE_FALSE)
    learner = make_user()
    services.enrol(learner, course_page)
    client.force_login(learner)
    return course_page, unit, learner


def h5p_commit(client, unit, version, stmt, state=None):
    body = {"commit": str(uuid.uuid4()), "version": version, "statement": stmt}
    if state is not None:
        body["state"] = state
    return post_json(client, url(unit), body)


def test_h5p_answered_right_completes_with_full_score(h5p, client):
    course_page, unit, learner = h5p
    # A question inside a container reports "answered" too: it does not count.
    reply = h5p_commit(
        client, unit, 0, statement("answered", success=True, raw=1, maximum=1, parent=True)
    ).json()
    assert reply["completion"] == "incomplete"
    reply = h5p_commit(
        client, unit, 1, statement("answered", success=True, raw=1, maximum=1)
    ).json()
    assert (reply["completion"], reply["success"], reply["score"]) == ("completed", "passed", 1.0)
    assert Enrolment.objects.get(user=learner, course=course_page).progress == 50


def test_h5p_answered_wrong_is_answered_not_passed(h5p, client):
    _, unit, learner = h5p
    reply = h5p_commit(
        client, unit, 0, statement("answered", success=False, raw=0, maximum=1)
    ).json()
    assert (reply["completion"], reply["success"], reply["score"]) == ("completed", "failed", 0.0)
    result = UnitResult.objects.get(user=learner, unit=unit)
    assert result.passed is False and result.score == 0.0


def test_h5p_state_is_kept_and_given_back_to_the_player(h5p, client):
    _, unit, learner = h5p
    reply = h5p_commit(client, unit, 0, None, state='{"answer":true}').json()
    assert reply["version"] == 1 and reply["completion"] == "incomplete"
    page = Client().get(launch_urls(unit, learner.pk)[0]["url"]).content.decode()
    assert '"state":"{\\"answer\\":true}"' in page
    assert h5p_commit(client, unit, 1, statement("interacted")).json()["completion"] == "incomplete"


def test_a_bad_first_commit_creates_no_record(scorm, client):
    _, unit, _ = scorm
    bad = {"commit": str(uuid.uuid4()), "version": 0, "sco": "nope", "cmi": {}}
    response = post_json(client, url(unit), bad)
    assert response.status_code == 400 and "SCO" in response.json()["message"]
    assert not PackageRecord.objects.exists()
