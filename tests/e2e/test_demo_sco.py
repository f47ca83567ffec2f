"""The demo catalog's own SCORM 1.2 package (content/courseware-src/legal-units), played in
Chromium under a stand-in LMS page that keeps the data the SCO sends, as an LMS would: it must
find the API by walking up its parents, resume, and report status, score and time.

The platform's player (sandbox, bridge, records) has its own journeys; this checks the
package's side of the contract, which any SCORM 1.2 LMS relies on."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.browser

SCO = Path(settings.BASE_DIR) / "content" / "courseware-src" / "legal-units"
ORIGIN = "https://lms.test"

# A stand-in LMS: window.API on the top page, the SCO two frames down (a wrapper frame in
# between), so the SCO must walk window.parent to find it.
LMS_PAGE = """<!DOCTYPE html><meta charset="utf-8"><script>
var stored = JSON.parse(decodeURIComponent(location.hash.slice(1)) || "{}");
window.calls = [];
window.cmi = stored;
window.API = {
  LMSInitialize: function () { calls.push(["LMSInitialize"]); return "true"; },
  LMSGetValue: function (k) { calls.push(["LMSGetValue", k]); return k in cmi ? cmi[k] : ""; },
  LMSSetValue: function (k, v) { calls.push(["LMSSetValue", k, v]); cmi[k] = v; return "true"; },
  LMSCommit: function () { calls.push(["LMSCommit"]); return "true"; },
  LMSFinish: function () { calls.push(["LMSFinish"]); return "true"; },
  LMSGetLastError: function () { return "0"; },
  LMSGetErrorString: function () { return ""; },
  LMSGetDiagnostic: function () { return ""; }
};
</script><iframe id="outer" src="/wrapper.html" style="width:100%;height:90vh"></iframe>"""
WRAPPER = '<!DOCTYPE html><iframe id="sco" src="/sco/index.html" style="width:100%;height:88vh">'


def serve(route):
    path = route.request.url[len(ORIGIN) :].split("#")[0].split("?")[0]
    if path == "/lms.html":
        return route.fulfill(body=LMS_PAGE, content_type="text/html; charset=utf-8")
    if path == "/wrapper.html":
        return route.fulfill(body=WRAPPER, content_type="text/html; charset=utf-8")
    name = path.removeprefix("/sco/")
    file = SCO / name
    if not path.startswith("/sco/") or not file.is_file():
        return route.fulfill(status=404, body="")
    types = {".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css"}
    return route.fulfill(body=file.read_bytes(), content_type=types[file.suffix])


def open_lms(browser, cmi=None):
    context = browser.new_context(viewport=PHONE)
    context.route(f"{ORIGIN}/**", serve)
    page = context.new_page()
    page.goto(f"{ORIGIN}/lms.html#{json.dumps(cmi or {})}")
    sco = page.frame_locator("#outer").frame_locator("#sco")
    # Started: it has read its place and saved it back.
    page.wait_for_function("window.calls.some(c => c[0] === 'LMSCommit')")
    return context, page, sco


def cmi_of(page):
    return page.evaluate("window.cmi")


def answer(sco, choices):
    for legend, label in choices:
        sco.locator("fieldset", has_text=legend).get_by_label(label, exact=True).check()
    sco.get_by_role("button", name="提交答案").click()


def test_the_demo_sco_starts_resumes_passes_and_reports_its_time(browser):
    context, page, sco = open_lms(browser)
    sco.get_by_text("一、计量法与法定计量单位制度").wait_for()
    calls = page.evaluate("window.calls")
    assert calls[0] == ["LMSInitialize"]
    assert cmi_of(page)["cmi.core.lesson_status"] == "incomplete"
    sco.get_by_role("button", name="下一页").click()
    sco.get_by_text("七个基本单位").wait_for()
    assert cmi_of(page)["cmi.core.lesson_location"] == "2"
    assert page.evaluate("window.calls").count(["LMSCommit"]) >= 2
    sco.get_by_role("button", name="下一页").click()
    # Two right of three is a pass.
    answer(sco, [("哪一年通过", "1985年"), ("质量的国际单位制", "千克（kg）"), ("功率", "7.5 KW")])
    assert "本次答对 2 题" in sco.locator("#result").inner_text()
    cmi = cmi_of(page)
    assert (cmi["cmi.core.lesson_status"], cmi["cmi.core.score.raw"]) == ("passed", "67")
    assert (cmi["cmi.core.score.min"], cmi["cmi.core.score.max"]) == ("0", "100")
    assert json.loads(cmi["cmi.suspend_data"])["best"] == 2
    # Leaving the page finishes the session with its time, as the LMS needs to sum it.
    page.frame_locator("#outer").locator("#sco").evaluate("f => f.remove()")
    cmi = cmi_of(page)
    assert re.fullmatch(r"\d{4}:\d{2}:\d{2}\.\d{2}", cmi["cmi.core.session_time"])
    assert cmi["cmi.core.exit"] == ""
    assert page.evaluate("window.calls")[-1] == ["LMSFinish"]
    context.close()

    # Reopened with what the LMS kept: back on the self-check page with the answers shown.
    context, page, sco = open_lms(browser, cmi)
    sco.get_by_text("三、自测").wait_for()
    assert sco.locator("fieldset", has_text="功率").get_by_label("7.5 KW", exact=True).is_checked()
    assert "回答错误" in sco.locator("#q3-feedback").inner_text()
    # A worse retry keeps the best result.
    answer(sco, [("哪一年通过", "1993年"), ("质量的国际单位制", "克（g）"), ("功率", "7.5 KW")])
    cmi = cmi_of(page)
    assert (cmi["cmi.core.lesson_status"], cmi["cmi.core.score.raw"]) == ("passed", "67")
    context.close()


def test_the_demo_sco_fails_below_two_right_and_keeps_the_place_for_next_time(browser):
    context, page, sco = open_lms(browser, {"cmi.core.lesson_location": "3"})
    sco.get_by_text("三、自测").wait_for()
    sco.get_by_role("button", name="提交答案").click()
    assert "请先回答第 1、2、3 题" in sco.locator("#result").inner_text()
    assert "cmi.core.score.raw" not in cmi_of(page)
    answer(sco, [("哪一年通过", "1985年"), ("质量的国际单位制", "吨（t）"), ("功率", "7.5 kw")])
    cmi = cmi_of(page)
    assert (cmi["cmi.core.lesson_status"], cmi["cmi.core.score.raw"]) == ("failed", "33")
    assert "未通过" in sco.locator("#result").inner_text()
    page.frame_locator("#outer").locator("#sco").evaluate("f => f.remove()")
    assert cmi_of(page)["cmi.core.exit"] == "suspend"
    assert cmi_of(page)["cmi.core.lesson_location"] == "3"
    context.close()
