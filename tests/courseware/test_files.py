"""The content frame's files: only to the learner whose token it is, while enrolled (or to
an editor previewing), with the sandbox policy on every response, ranges and caching."""

import json
import re
import time
from unittest import mock

import pytest
from django.conf import settings
from django.core import signing

from courses import services
from courses.models import Enrolment
from courseware.files import SANDBOX
from courseware.launch import FILE_TOKEN_SALT, file_token, launch_urls
from tests.accounts.factories import make_user
from tests.courseware.helpers import (
    GOLF_BASIC,
    TRUE_FALSE,
    add_h5p_unit,
    add_scorm_unit,
    course,
)

pytestmark = pytest.mark.django_db

VIDEO = "HavingFun/fun.jpg"  # the largest file of the package


@pytest.fixture
def world(catalog, tmp_path):
    course_page = course(tmp_path)
    unit = add_scorm_unit(course_page, GOLF_BASIC)
    learner = make_user(real_name="刘洋")
    services.enrol(learner, course_page)
    return course_page, unit, learner


def base(unit, user):
    token = file_token(user.pk, unit.pk, unit.package.sha256)
    return f"/courseware/c/{unit.pk}/{token}/"


def assert_content_headers(response):
    assert response["Content-Security-Policy"] == SANDBOX
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "X-Frame-Options" not in response


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_launch_page_carries_the_run_time_and_the_sandbox(world, client):
    _course_page, unit, learner = world
    launch = launch_urls(unit, learner.pk)[0]["url"]
    assert launch.endswith("/shared/launchpage.html?qa_sco=item_1")
    # The sandboxed frame's request has no session cookie: the token alone authorises it.
    response = client.get(launch)
    assert response.status_code == 200
    assert_content_headers(response)
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    head = re.search(r"<head[^>]*>", html, re.IGNORECASE)
    injected = html[head.end() :]
    assert injected.startswith('<script type="application/json" id="qa-scorm-state">')
    state = json.loads(re.search(r'id="qa-scorm-state">(.*?)</script>', html).group(1))
    assert state == {
        "version": "2004",
        "sco": "item_1",
        "cmi": {},
        "learner": {"id": str(learner.pk), "name": "刘洋"},
    }
    assert (
        '<script src="http://testserver/static/courseware/vendor/scorm-again/scorm2004.min.js">'
        in html
    )
    assert '<script src="http://testserver/static/courseware/scorm-frame.js">' in html
    # The package's own page follows, unchanged.
    original = (
        settings.COURSEWARE_ROOT / unit.package.sha256 / "shared/launchpage.html"
    ).read_bytes()
    start = response.content.index(b'<script type="application/json" id="qa-scorm-state">')
    end = response.content.index(b'scorm-frame.js"></script>') + len(b'scorm-frame.js"></script>')
    assert response.content[:start] + response.content[end:] == original


def test_a_file_seeks_with_ranges_and_revalidates(world, client):
    _, unit, learner = world
    url = base(unit, learner) + VIDEO
    data = (settings.COURSEWARE_ROOT / unit.package.sha256 / VIDEO).read_bytes()
    size = len(data)

    whole = client.get(url)
    assert whole.status_code == 200 and body(whole) == data
    assert_content_headers(whole)
    assert whole["Content-Type"] == "image/jpeg"
    assert whole["Cache-Control"] == "private, max-age=3600"
    assert whole["Accept-Ranges"] == "bytes" and whole["Content-Length"] == str(size)

    middle = client.get(url, HTTP_RANGE="bytes=1000-1999")
    assert middle.status_code == 206
    assert middle["Content-Range"] == f"bytes 1000-1999/{size}"
    assert body(middle) == data[1000:2000]
    assert_content_headers(middle)

    tail = client.get(url, HTTP_RANGE="bytes=-100")
    assert tail.status_code == 206 and body(tail) == data[-100:]
    rest = client.get(url, HTTP_RANGE=f"bytes={size - 10}-")
    assert (
        body(rest) == data[-10:] and rest["Content-Range"] == f"bytes {size - 10}-{size - 1}/{size}"
    )

    beyond = client.get(url, HTTP_RANGE=f"bytes={size + 10}-")
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{size}"
    assert_content_headers(beyond)

    assert client.get(url, HTTP_IF_NONE_MATCH=whole["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=whole["Last-Modified"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    # A range of a file that changed since (another ETag) is answered with the whole file.
    stale = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"other"')
    assert stale.status_code == 200 and body(stale) == data


def test_the_projects_policy_does_not_replace_the_sandbox_for_a_signed_in_learner(world, client):
    _, unit, learner = world
    client.force_login(learner)  # a file opened directly in a tab, with the session
    response = client.get(base(unit, learner) + VIDEO)
    assert response["Content-Security-Policy"] == SANDBOX


def expired_token(unit, user):
    with mock.patch("time.time", return_value=time.time() - 13 * 3600):
        return signing.dumps(
            {"u": user.pk, "p": unit.pk, "h": unit.package.sha256[:12]}, salt=FILE_TOKEN_SALT
        )


def test_nobody_else_reaches_the_files(world, client, tmp_path):
    course_page, unit, learner = world
    other_unit = add_scorm_unit(course_page, GOLF_BASIC, slug="same-package-again")
    stranger = make_user()
    token = file_token(learner.pk, unit.pk, unit.package.sha256)
    ok = f"/courseware/c/{unit.pk}/{token}/{VIDEO}"
    assert client.get(ok).status_code == 200
    refused = {
        "a learner not enrolled": base(unit, stranger) + VIDEO,
        "the token on another unit": f"/courseware/c/{other_unit.pk}/{token}/{VIDEO}",
        "a tampered token": f"/courseware/c/{unit.pk}/{token[:-2]}xx/{VIDEO}",
        "an expired token": f"/courseware/c/{unit.pk}/{expired_token(unit, learner)}/{VIDEO}",
        "a file not in the package": f"/courseware/c/{unit.pk}/{token}/shared/nothing.js",
        "a path that climbs": f"/courseware/c/{unit.pk}/{token}/shared/../../{unit.package.sha256}.zip",
        "an unknown unit": f"/courseware/c/999999/{token}/{VIDEO}",
        "a lesson's id": f"/courseware/c/{course_page.get_children().first().pk}/{token}/{VIDEO}",
    }
    for case, url in refused.items():
        response = client.get(url)
        assert response.status_code == 404, case
        assert response["Content-Security-Policy"] == SANDBOX, case
    # Leaving the course ends access at once, whatever the token's age.
    Enrolment.objects.filter(user=learner).delete()
    assert client.get(ok).status_code == 404


def test_an_editor_previews_without_enrolling(world, client):
    _, unit, _ = world
    editor = make_user(is_staff=True, is_superuser=True)
    response = client.get(base(unit, editor) + "shared/launchpage.html")
    assert response.status_code == 200 and b"qa-scorm-state" in response.content


def test_the_h5p_player_document_and_the_package_json(catalog, client, tmp_path):
    course_page = course(tmp_path, slug="h5p-course")
    unit = add_h5p_unit(course_page, TRUE_FALSE)
    learner = make_user()
    services.enrol(learner, course_page)
    launch = launch_urls(unit, learner.pk)[0]["url"]
    assert launch.endswith("/__player__.html")
    response = client.get(launch)
    assert response.status_code == 200
    assert_content_headers(response)
    html = response.content.decode()
    config = json.loads(re.search(r'id="qa-h5p-config">(.*?)</script>', html).group(1))
    assert config["h5pJsonPath"] == "." and config["contentJsonPath"] == "content"
    assert config["state"] is None
    assert "http://testserver/static/courseware/vendor/h5p-standalone/main.bundle.js" in html
    folder = launch.rsplit("/", 1)[0]
    h5p = client.get(folder + "/h5p.json")
    assert h5p.status_code == 200 and h5p["Access-Control-Allow-Origin"] == "*"
    assert json.loads(body(h5p))["mainLibrary"] == "H5P.TrueFalse"
    library = client.get(folder + "/H5P.TrueFalse-1.6/library.json")
    assert library.status_code == 200
