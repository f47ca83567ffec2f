"""SCORM and H5P units played in Chromium as a learner plays them: by clicking in the content.

The reference packages are Rustici's golf examples and h5p-standalone's True/False package
(tests/fixtures/interop, unchanged); the small Chinese SCORM 1.2 package is built here.
"""

import json
import shutil
import time
import zipfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import OperationalError
from django.db.models import Count, Max
from playwright.sync_api import expect

from courses.models import CoursePage, UnitResult
from courses.package.services import import_packages
from courses.services import enrol
from courseware.launch import file_token
from courseware.models import H5PUnitPage, PackageRecord, ScormUnitPage
from tests.accounts.factories import make_user
from tests.courseware.helpers import (
    GOLF_4TH,
    GOLF_12,
    GOLF_ADVANCED,
    GOLF_BASIC,
    TRUE_FALSE,
    course,
)
from tests.e2e.test_account_journeys import sign_in
from tests.factories import package_dict, write_package

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRAME = ".courseware-frame"


@pytest.fixture(autouse=True)
def commits_drained(live_server):
    """Wait, after each test, for the commits its pages sent while closing.

    Closing a unit's page sends what the content saved last (keepalive), as a learner's
    closing tab does; the live server may still be writing it when the test ends, and the
    database cannot be emptied for the next test under that write. Set up after the live
    server and before the pages, this runs once the pages are closed and before the
    database is emptied: it waits until the records have stopped changing.
    """
    yield
    last, steady = None, 0
    for _ in range(50):
        try:
            now = PackageRecord.objects.aggregate(Max("updated_at"), Count("pk"))
        except OperationalError:  # the server is writing at this moment
            now, steady = None, 0
        else:
            steady = steady + 1 if now == last else 0
            if steady == 3:
                return
        last = now
        time.sleep(0.2)


def unit_from(tmp_path, archive, *, slug="unit", title="课件单元", page_class=ScormUnitPage):
    """A course imported from a course package: one lesson, then ``archive`` as a
    `- scorm:` or `- h5p:` unit whose file lies beside the YAML, as an author ships it."""
    kind = "h5p" if page_class is H5PUnitPage else "scorm"
    folder = tmp_path / f"package-{slug}"
    folder.mkdir()
    shutil.copyfile(archive, folder / f"{slug}{Path(archive).suffix}")
    data = package_dict(slug=f"c-{slug}", lessons=1)
    data["units"].append(
        {kind: slug, "title": title, "minutes": 5, "package": f"{slug}{Path(archive).suffix}"}
    )
    import_packages([write_package(folder, data)])
    owner = CoursePage.objects.get(slug=f"c-{slug}")
    return owner, page_class.objects.child_of(owner).get(slug=slug)


def learner(name, owner, real_name="张三"):
    user = make_user(name, real_name=real_name)
    enrol(user, owner)
    return user


def open_unit(page, site, unit, login=None):
    """Open the unit's page, signing in first when a login is given."""
    page.on("dialog", lambda dialog: dialog.accept())  # the golf SCOs ask before resuming
    if login:
        sign_in(page, site, login)
    page.goto(site + unit.url)
    return page


def record(user, unit):
    return PackageRecord.objects.get(user=user, unit=unit)


def saved(page):
    expect(page.locator("#courseware-status")).to_contain_text("已保存")


def wait_for_record(user, unit, condition, page, timeout=10):
    """The commit is sent by the page; wait (in the browser's event loop) until it is kept.

    The live server may be writing that very record while this reads it: SQLite's in-memory
    test database then refuses the read ("table is locked"), which only means "not yet".
    """
    found = None
    for _ in range(timeout * 10):
        try:
            found = PackageRecord.objects.filter(user=user, unit=unit).first()
        except OperationalError:
            found = None
        if found is not None and condition(found):
            return found
        page.wait_for_timeout(100)
    raise AssertionError(f"no record matching the condition: {found and found.__dict__}")


# ---- Rustici's golf examples ----------------------------------------------------------------


def golf(page):
    return page.frame_locator(FRAME)


def golf_next(page, times):
    for _ in range(times):
        golf(page).locator("#butNext").click()


def answer_golf_quiz(page):
    """Answer every question right, reading the answers from the quiz's own question data,
    and click as a learner would; returns the score the quiz shows."""
    quiz = golf(page).frame_locator("#contentFrame")
    expect(quiz.get_by_role("button", name="Submit Answers")).to_be_visible()
    frame = next(f for f in page.frames if "assessmenttemplate" in f.url)
    questions = frame.evaluate(
        "() => test.Questions.map(q => ({id: q.Id, type: q.Type, answers: q.Answers,"
        " correct: String(q.CorrectAnswer)}))"
    )
    for question in questions:
        key = f"question_{question['id']}"
        if question["answers"]:
            index = question["answers"].index(question["correct"])
            quiz.locator(f"[id='{key}_{index}']").check()
        elif question["correct"] in ("true", "false"):
            quiz.locator(f"[id='{key}_{question['correct'].title()}']").check()
        else:
            quiz.locator(f"[id='{key}_Text']").fill(question["correct"])
    quiz.get_by_role("button", name="Submit Answers").click()
    return quiz.locator("h3").first.inner_text()


def test_golf_2004_basic_keeps_progress_when_closed_resumes_and_completes_with_its_score(
    bare_site, browser, tmp_path
):
    owner, unit = unit_from(tmp_path, GOLF_BASIC, slug="golf-basic", title="高尔夫（基础运行时）")
    user = learner("golfer", owner)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = open_unit(context.new_page(), bare_site, unit, "golfer")
    golf_next(page, 3)
    expect(golf(page).locator("#contentFrame")).to_have_attribute(
        "src", "../Playing/OtherScoring.html"
    )
    page.close()  # the tab is closed mid-way: no Exit, no Commit from the SCO

    kept = wait_for_record(user, unit, lambda r: r.location == "3", context.new_page())
    assert kept.completion == "incomplete" and kept.attempts == 1

    page = open_unit(context.new_page(), bare_site, unit)
    # The SCO asks whether to resume; the learner says yes and is back on the fourth page.
    expect(golf(page).locator("#contentFrame")).to_have_attribute(
        "src", "../Playing/OtherScoring.html"
    )
    golf_next(page, 11)  # to the quiz, the last page
    assert answer_golf_quiz(page) == "Score: 100"
    golf(page).locator("#butExit").click()
    saved(page)
    done = wait_for_record(user, unit, lambda r: r.completion == "completed", page)
    assert (done.success, done.score) == ("passed", 1.0)
    assert done.total_seconds > 0
    result = UnitResult.objects.get(user=user, unit=unit)
    assert result.completed_at is not None and result.passed and result.score == 1.0
    context.close()


def test_golf_2004_advanced_completes_with_its_score_on_a_phone(bare_site, phone, tmp_path):
    owner, unit = unit_from(tmp_path, GOLF_ADVANCED, slug="golf-advanced")
    user = learner("golfer2", owner)
    page = open_unit(phone, bare_site, unit, "golfer2")
    golf_next(page, 14)
    assert answer_golf_quiz(page) == "Score: 100"
    golf(page).locator("#butExit").click()
    done = wait_for_record(user, unit, lambda r: r.completion == "completed", page)
    # This example leaves success to the LMS (the manifest's minNormalizedMeasure 0.8).
    assert done.score == 1.0 and done.success != "failed"
    sco = done.cmi[done.last_sco]
    # The advanced example reports each question as an interaction, through the quiz page's
    # calls to its parent page.
    assert len(sco["interactions"]) >= 10
    assert UnitResult.objects.get(user=user, unit=unit).completed_at is not None


def test_golf_12_launches(bare_site, phone, tmp_path):
    owner, unit = unit_from(tmp_path, GOLF_12, slug="golf-12")
    learner("golfer3", owner)
    page = open_unit(phone, bare_site, unit, "golfer3")
    # Rustici's 1.2 packaging example makes no run-time calls: its launch file only points
    # to their other examples. What it shows is that the launch file the manifest names is
    # served into the frame, and the lesson pages the manifest lists are served beside it.
    expect(golf(page).locator("p")).to_have_text(
        "See the runtime and sequencing examples for launchable courses."
    )
    launched = urljoin(page.url, page.locator(FRAME).get_attribute("src"))
    assert urlsplit(launched).path.endswith("/shared/launchpage.html")
    lesson = page.request.get(urljoin(launched, "../Playing/Playing.html"))
    assert lesson.status == 200
    assert "<h1>Play of the game</h1>" in lesson.text()


def test_golf_4th_edition_is_played_sco_by_sco_from_the_table_of_contents(
    bare_site, desktop, tmp_path
):
    owner, unit = unit_from(tmp_path, GOLF_4TH, slug="golf-4th")
    learner("golfer4", owner)
    page = open_unit(desktop, bare_site, unit, "golfer4")
    toc = page.locator(".courseware-toc a")
    titles = toc.all_inner_texts()
    assert [t.strip() for t in titles] == [sco["title"] for sco in unit.package.scos]
    expect(toc.first).to_have_attribute("aria-current", "step")
    toc.nth(2).click()
    expect(toc.nth(2)).to_have_attribute("aria-current", "step")
    launched = page.locator(FRAME).get_attribute("src")
    assert unit.package.scos[2]["href"] in launched
    assert launched.endswith(f"qa_sco={unit.package.scos[2]['id']}")


# ---- a small Chinese SCORM 1.2 package ------------------------------------------------------

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="qa.units" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org"><title>法定计量单位</title>
      <item identifier="units" identifierref="r1"><title>法定计量单位</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/><file href="sco.js"/>
    </resource>
  </resources>
</manifest>
"""
PAGE = """<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>法定计量单位</title>
<script src="sco.js"></script></head>
<body><h1>法定计量单位</h1>
<p id="where">第 1 页</p>
<button id="next">下一页</button>
<button id="finish">完成测验</button>
</body></html>
"""
# As packages usually do: look for the API from the parent window up (SCORM 1.2 RTE 3.3.6.1).
SCRIPT = """
function findAPI(win) {
  var tries = 0;
  while (win.API == null && win.parent != null && win.parent != win && tries < 7) { tries++; win = win.parent; }
  return win.API;
}
var api = findAPI(window.parent) || window.API;
window.addEventListener("load", function () {
  api.LMSInitialize("");
  var page = parseInt(api.LMSGetValue("cmi.core.lesson_location") || "1", 10);
  document.getElementById("where").textContent = "第 " + page + " 页";
  document.getElementById("next").onclick = function () {
    page += 1;
    document.getElementById("where").textContent = "第 " + page + " 页";
    api.LMSSetValue("cmi.core.lesson_location", String(page));
    api.LMSSetValue("cmi.core.lesson_status", "incomplete");
    api.LMSCommit("");
  };
  document.getElementById("finish").onclick = function () {
    api.LMSSetValue("cmi.core.score.raw", "90");
    api.LMSSetValue("cmi.core.lesson_status", "passed");
    api.LMSCommit("");
    api.LMSFinish("");
  };
});
"""


def chinese_package(tmp_path):
    path = tmp_path / "法定计量单位.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("imsmanifest.xml", MANIFEST)
        archive.writestr("index.html", PAGE)
        archive.writestr("sco.js", SCRIPT)
    return path


def test_chinese_12_package_resumes_completes_and_a_second_window_is_told_to_reload(
    bare_site, browser, tmp_path
):
    owner, unit = unit_from(tmp_path, chinese_package(tmp_path), slug="units", title="法定计量单位")
    user = learner("xuesheng", owner)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = open_unit(context.new_page(), bare_site, unit, "xuesheng")
    content = page.frame_locator(FRAME)
    content.get_by_role("button", name="下一页").click()
    saved(page)
    assert record(user, unit).location == "2"

    page.reload()
    expect(content.locator("#where")).to_have_text("第 2 页")  # resumed

    other = context.new_page()
    other.goto(bare_site + unit.url)
    other.frame_locator(FRAME).get_by_role("button", name="完成测验").click()
    saved(other)
    done = record(user, unit)
    assert (done.completion, done.success, done.score) == ("completed", "passed", 0.9)
    result = UnitResult.objects.get(user=user, unit=unit)
    assert result.completed_at is not None and result.passed and result.score == 0.9

    # The first window's copy is out of date now: it must not overwrite the finished record.
    content.get_by_role("button", name="下一页").click()
    expect(page.locator("#courseware-status")).to_have_text(
        "此单元已在另一个窗口中打开，请刷新页面。"
    )
    assert record(user, unit).completion == "completed"
    context.close()


def test_inside_the_frame_the_learners_session_and_pages_are_out_of_reach(
    bare_site, desktop, tmp_path
):
    owner, unit = unit_from(tmp_path, chinese_package(tmp_path), slug="units-safe")
    learner("anquan", owner, real_name="安全测试员")
    page = open_unit(desktop, bare_site, unit, "anquan")
    expect(page.frame_locator(FRAME).locator("h1")).to_have_text("法定计量单位")
    assert "sessionid" in {c["name"] for c in desktop.context.cookies()}
    frame = next(f for f in page.frames if f.url.startswith(bare_site + "/courseware/c/"))
    seen = frame.evaluate(
        """async (site) => {
          const out = {origin: self.origin};
          try { out.cookie = document.cookie; } catch (e) { out.cookie = "blocked"; }
          try { out.top = window.top.document.title; } catch (e) { out.top = "blocked"; }
          try { localStorage.getItem("x"); out.storage = "open"; } catch (e) { out.storage = "blocked"; }
          for (const path of ["/dashboard/", "/accounts/profile/"]) {
            try {
              const r = await fetch(site + path, {credentials: "include"});
              out[path] = r.status + " " + (await r.text());
            } catch (e) { out[path] = "blocked"; }
          }
          return out;
        }""",
        bare_site,
    )
    assert seen["cookie"] in ("", "blocked") and seen["origin"] == "null"
    assert seen["top"] == "blocked" and seen["storage"] == "blocked"
    for path in ("/dashboard/", "/accounts/profile/"):
        assert "安全测试员" not in seen[path] and "anquan" not in seen[path]


def test_another_learner_and_an_unenrolled_one_get_404_for_files_and_commit(
    bare_site, browser, tmp_path
):
    owner, unit = unit_from(tmp_path, chinese_package(tmp_path), slug="units-private")
    learner("owner1", owner)
    (tmp_path / "other").mkdir()
    elsewhere = course(tmp_path / "other", slug="c-other")
    others = [learner("other1", elsewhere), make_user("outsider1")]
    context = browser.new_context()
    page = open_unit(context.new_page(), bare_site, unit, "owner1")
    own_url = page.locator(FRAME).get_attribute("src")
    assert context.request.get(bare_site + own_url).status == 200
    commit_url = json.loads(page.locator("#courseware-player").text_content())["commit_url"]
    context.close()
    for user in others:
        context = browser.new_context()
        page = open_unit(context.new_page(), bare_site, unit, user.username)
        expect(page.locator(FRAME)).to_have_count(0)  # not enrolled: no player
        # A file link made for this learner (as the page would make it) opens nothing.
        token = file_token(user.pk, unit.pk, unit.package.sha256)
        path = own_url.split("?")[0].split("/")
        path[4] = token
        assert context.request.get(bare_site + "/".join(path)).status == 404
        csrf = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
        reply = context.request.post(
            bare_site + commit_url,
            headers={"X-CSRFToken": csrf, "Content-Type": "application/json"},
            data=json.dumps(
                {
                    "commit": "5b0d2b5e-9d7c-4d6e-8a62-1f1f8b1e2c11",
                    "version": 0,
                    "sco": "units",
                    "cmi": {"core": {"lesson_status": "passed"}},
                    "terminated": True,
                }
            ),
        )
        assert reply.status == 404
        context.close()
    assert not PackageRecord.objects.exclude(user__username="owner1").exists()


# ---- H5P ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "choice, expected",
    [("False", ("completed", "passed", 1.0)), ("True", ("completed", "failed", 0.0))],
)
def test_h5p_true_false_answered_right_passes_and_wrong_does_not(
    choice, expected, bare_site, phone, tmp_path
):
    owner, unit = unit_from(tmp_path, TRUE_FALSE, slug="tf", page_class=H5PUnitPage)
    user = learner("h5p1", owner)
    page = open_unit(phone, bare_site, unit, "h5p1")
    content = page.frame_locator(FRAME)
    expect(content.get_by_text("Is this false?")).to_be_visible()
    content.get_by_text(choice, exact=True).click()
    content.get_by_role("button", name="Check").click()
    saved(page)
    done = wait_for_record(user, unit, lambda r: r.completion == "completed", page)
    assert (done.completion, done.success, done.score) == expected
    result = UnitResult.objects.get(user=user, unit=unit)
    assert result.completed_at is not None and result.passed is (expected[1] == "passed")
