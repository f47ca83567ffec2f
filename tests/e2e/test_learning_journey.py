import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from courses.models import CoursePage, Enrolment, QuizAttempt
from tests.accounts.factories import make_user
from tests.courses.learning_helpers import quiz_course
from tests.e2e.test_account_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RIGHT = {"q-si": "国际单位制", "q-kg": "正确", "q-short": "1985"}
WRONG = {"q-si": "英制", "q-kg": "错误", "q-short": "1990"}


def serious_violations(page):
    response = Axe().run(page).response
    assert response["passes"]
    return [v["id"] for v in response["violations"] if v["impact"] in {"serious", "critical"}]


def answer(page, answers, tools):
    for key, value in answers.items():
        fieldset = page.locator(f"fieldset[data-key='{key}']")
        if key == "q-short":
            fieldset.locator("input[type=text]").fill(value)
            fieldset.locator("input[type=text]").blur()
        else:
            fieldset.get_by_label(value, exact=True).check()
        page.wait_for_function(
            "k => document.querySelector(`[name='v-${k}']`).value !== '0'", arg=key
        )
    tools_set = page.locator("fieldset[data-key='q-tools']")
    for label in tools:
        tools_set.get_by_label(label, exact=True).check()
    page.wait_for_function("() => document.querySelector(\"[name='v-q-tools']\").value !== '0'")


def test_enrol_study_fail_then_pass_and_see_the_course_completed(site, phone, tmp_path):
    course, _ = quiz_course(tmp_path, slug="journey", lessons=2, max_attempts=3, time_limit=15)
    make_user("learner1", real_name="张三")
    page = phone
    sign_in(page, site, "learner1")
    page.goto(site + course.url)
    page.get_by_role("button", name="免费报名").click()
    for _ in range(2):
        assert page.locator("h1").inner_text().startswith("第")
        page.get_by_role("button", name="标记为已学完").click()
        page.locator(".lesson-nav .next").click()
    assert page.locator("h1").inner_text() == "结业测验"

    page.get_by_role("button", name="开始测验").click()
    expect(page.locator(".timer")).to_be_visible()
    assert serious_violations(page) == []
    answer(page, WRONG, tools=["甘特图"])
    page.reload()  # a refresh loses nothing
    assert page.locator("fieldset[data-key='q-short'] input[type=text]").input_value() == "1990"
    page.get_by_role("button", name="提交答卷").click()
    assert "未通过" in page.locator("h1").inner_text()
    assert page.locator(".big").inner_text() == "0%"
    assert serious_violations(page) == []

    page.get_by_role("link", name="再试一次").click()
    page.get_by_role("button", name="再试一次").click()
    answer(page, RIGHT, tools=["排列图", "控制图"])
    page.get_by_role("button", name="提交答卷").click()
    assert "通过" in page.locator("h1").inner_text()
    assert page.locator(".big").inner_text() == "100%"

    page.goto(site + "/dashboard/")
    assert serious_violations(page) == []
    completed = page.locator("#done-heading + *").inner_text()
    assert course.title in completed
    assert QuizAttempt.objects.filter(user__username="learner1").count() == 2
    enrolment = Enrolment.objects.get(user__username="learner1", course=course)
    assert enrolment.progress == 100 and enrolment.completed_at is not None
    page.goto(site + CoursePage.objects.get(pk=course.pk).url)
    assert "100%" in page.locator(".progress-label").inner_text()


def test_an_answer_whose_reply_was_lost_is_saved_and_can_still_change(site, phone, tmp_path):
    from courses import services
    from courses.models import Response

    course, quiz = quiz_course(tmp_path, slug="lost-reply", lessons=1)
    learner = make_user("learner2", real_name="王五")
    services.enrol(learner, course)
    page = phone
    sign_in(page, site, "learner2")
    page.goto(site + quiz.url)
    page.get_by_role("button", name="开始测验").click()
    page.wait_for_url("**/learn/attempts/*/")
    page.wait_for_load_state()  # quiz.js listens for answers from here on

    lost = []

    def lose_the_first_reply(route):
        # The save reaches the server and is stored; the browser sees the connection drop,
        # as when gunicorn's worker is killed between the commit and the reply.
        if lost:
            route.continue_()
            return
        route.fetch()
        lost.append(route.request.post_data)
        route.abort("connectionreset")

    page.route("**/answer/", lose_the_first_reply)
    fieldset = page.locator("fieldset[data-key='q-si']")
    # The retry's reply: the answer was stored by the lost try, so the server says "stale"
    # and returns it, and the page takes it as saved.
    with page.expect_response("**/answer/", timeout=15000) as retry:
        fieldset.get_by_label("英制", exact=True).check()
    assert retry.value.status == 409 and len(lost) == 1
    expect(page.locator(".save-state")).to_have_class("save-state saved")
    fieldset.get_by_label("国际单位制", exact=True).check()
    page.wait_for_function(
        "() => document.querySelector(\"[name='v-q-si']\").value === '2'", timeout=15000
    )
    attempt = QuizAttempt.objects.get(user=learner)
    assert Response.objects.get(attempt=attempt, question_key="q-si").answer == 0
