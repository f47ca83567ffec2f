"""The unit pages: the player for enrolled learners, the enrol button for others; the
admin's upload of the package; the learner's data export and deletion."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.signals import account_deleting, personal_data_requested
from courses import services
from courses.models import Enrolment
from courseware.models import ContentPackage, PackageRecord, ScormUnitPage
from tests.accounts.factories import make_user
from tests.courseware.helpers import (
    GOLF_4TH,
    GOLF_BASIC,
    TRUE_FALSE,
    add_scorm_unit,
    course,
    post_json,
)

pytestmark = pytest.mark.django_db


def player_data(html):
    found = re.search(
        r'<script id="courseware-player" type="application/json">(.*?)</script>', html
    )
    return json.loads(found.group(1)) if found else None


def test_an_enrolled_learner_gets_the_player_and_the_visit_is_recorded(catalog, client, tmp_path):
    course_page = course(tmp_path)
    unit = add_scorm_unit(course_page, GOLF_4TH)
    learner = make_user()
    enrolment = services.enrol(learner, course_page)
    client.force_login(learner)
    html = client.get(unit.url).content.decode()
    data = player_data(html)
    assert data["kind"] == "scorm2004"
    assert data["commit_url"] == f"/courseware/units/{unit.pk}/commit/"
    assert [launch["title"] for launch in data["launches"]] == [
        "Playing the Game",
        "Etiquette",
        "Handicapping",
        "Having Fun",
        "Quiz",
    ]
    assert data["launches"][1]["url"].endswith(
        "/shared/launchpage.html?content=etiquette&qa_sco=etuqiette_item"
    )
    assert data["version"] == 0 and data["preview"] is False
    assert 'sandbox="allow-scripts allow-forms allow-popups allow-modals"' in html
    enrolment.refresh_from_db()
    assert enrolment.last_unit_id == unit.pk


def test_others_see_the_unit_without_the_player(catalog, client, tmp_path):
    course_page = course(tmp_path)
    unit = add_scorm_unit(course_page, GOLF_BASIC)
    html = client.get(unit.url).content.decode()
    assert unit.title in html and player_data(html) is None and "<iframe" not in html
    client.force_login(make_user())
    html = client.get(unit.url).content.decode()
    assert player_data(html) is None and "<iframe" not in html
    assert f"/learn/courses/{course_page.pk}/enrol/" in html


def edit_form(title, slug, upload=None, **extra):
    data = {
        "title": title,
        "slug": slug,
        "minutes": "20",
        "intro": "厂商提供的高尔夫示例课件。",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
        "action-publish": "publish",
        **extra,
    }
    if upload is not None:
        data["package_file"] = upload
    return data


def test_an_administrator_adds_a_scorm_unit_by_uploading_the_package(catalog, client, tmp_path):
    course_page = course(tmp_path)
    client.force_login(make_user(is_staff=True, is_superuser=True))
    add_url = f"/admin/pages/add/courseware/scormunitpage/{course_page.pk}/"
    assert client.get(add_url).status_code == 200
    packages = ContentPackage.objects.count()  # the demo catalog's own

    not_a_zip = SimpleUploadedFile("golf.zip", b"not a zip at all", "application/zip")
    response = client.post(add_url, edit_form("高尔夫课件", "golf", not_a_zip))
    assert response.status_code == 200
    assert "该文件不是 zip 压缩包" in response.content.decode()
    assert not ScormUnitPage.objects.filter(slug="golf").exists()
    assert ContentPackage.objects.count() == packages

    h5p = SimpleUploadedFile("tf.h5p", TRUE_FALSE.read_bytes(), "application/zip")
    response = client.post(add_url, edit_form("高尔夫课件", "golf", h5p))
    assert response.status_code == 200
    assert not ScormUnitPage.objects.filter(slug="golf").exists()
    assert "这是 H5P 课件包；本单元只能播放 SCORM 1.2 / SCORM 2004" in response.content.decode()

    upload = SimpleUploadedFile("golf.zip", GOLF_BASIC.read_bytes(), "application/zip")
    response = client.post(add_url, edit_form("高尔夫课件", "golf", upload))
    assert response.status_code == 302, response.content.decode()[:3000]
    unit = ScormUnitPage.objects.get(slug="golf")
    assert unit.live and unit.minutes == 20
    assert unit.package.manifest["title"] == "Golf Explained - Run-time Basic Calls"
    assert unit.get_latest_revision().content["package"] == unit.package.pk

    # Edited without a new upload, the unit keeps its package.
    response = client.post(f"/admin/pages/{unit.pk}/edit/", edit_form("高尔夫课件（修订）", "golf"))
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.title == "高尔夫课件（修订）" and unit.package.manifest["version"] == "2004"


def test_the_learners_records_are_in_their_export_and_go_with_their_account(
    catalog, client, tmp_path
):
    course_page = course(tmp_path)
    unit = add_scorm_unit(course_page, GOLF_BASIC)
    learner = make_user()
    services.enrol(learner, course_page)
    client.force_login(learner)
    post_json(
        client,
        f"/courseware/units/{unit.pk}/commit/",
        {
            "commit": "6f1c2d9e-0000-4000-8000-000000000001",
            "version": 0,
            "sco": "item_1",
            "cmi": {"location": "第3页", "suspend_data": "答过第1题"},
        },
    )
    sections = {}
    for _, reply in personal_data_requested.send(sender=None, user=learner):
        sections.update(reply or {})
    [record] = sections["courseware_records"]
    assert record["unit"] == unit.title
    assert record["location"] == "第3页" and record["suspend_data"] == "答过第1题"
    account_deleting.send(sender=None, user=learner)
    assert not PackageRecord.objects.filter(user=learner).exists()
    assert Enrolment.objects.filter(user=learner).exists()  # courses deletes its own
