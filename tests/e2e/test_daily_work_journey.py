"""A teacher and a training manager go from the home page to their work in one click and
find what needs their attention. Screenshots of each dashboard, on a phone and a desktop,
go to /tmp/shots-daily-work/."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from classrooms.models import AssignmentAudience
from courses import services as learning
from tests.accounts.factories import add_member, make_organisation, make_user
from tests.certificates.helpers import lessons_course
from tests.classrooms.helpers import (
    assign,
    make_class,
    make_pupil,
    make_school,
    make_teacher,
    school_module,
)
from tests.e2e.test_account_journeys import sign_in
from tests.e2e.test_classroom_journey import no_sideways_scroll, widest
from tests.e2e.test_learning_journey import serious_violations
from training import assignments as staff_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots-daily-work")
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


def shoot_dashboard(page, site, name):
    """The dashboard at both sizes: nothing may stick out sideways on either."""
    SHOTS.mkdir(exist_ok=True)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.goto(site + "/dashboard/")
        assert no_sideways_scroll(page), widest(page)
        page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=True)


def test_a_teacher_goes_from_the_home_page_to_their_classes_and_what_needs_attention(
    site, phone, tmp_path
):
    course, quiz = school_module(tmp_path, slug="daily-teacher", lessons=2)
    school = make_school()
    teacher = make_teacher(school, real_name="周老师", username="zhou2")
    classroom = make_class(school, teacher, name="初二（3）班")
    make_class(school, teacher, name="初二（5）班")
    for name in ("王小明", "李玥"):
        make_pupil(school, classroom, real_name=name)
    assign(classroom, teacher, course, days=-1, opened_days_ago=6)
    this_week = assign(classroom, teacher, course, quiz, days=3)

    page = phone
    sign_in(page, site, "zhou2")
    page.goto(site + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的班级").click()
    expect(page.get_by_role("link", name="初二（3）班")).to_be_visible()

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的学习").click()
    panel = page.locator("section.attention")
    expect(panel.get_by_role("heading", name="我的班级：待处理")).to_be_visible()
    expect(panel.get_by_role("link", name="2 名学生已逾期")).to_be_visible()
    expect(panel.get_by_role("link", name=f"本周截止：{this_week.title}")).to_be_visible()
    assert serious_violations(page) == []
    shoot_dashboard(page, site, "teacher")

    page.set_viewport_size(SIZES["phone"])
    page.goto(site + "/dashboard/")
    page.get_by_role("link", name="2 名学生已逾期").click()
    expect(page.locator("h1")).to_have_text("班级学情报告")
    assert f"/classes/{classroom.pk}/report/" in page.url


def test_a_manager_goes_from_the_home_page_to_staff_training_and_reminds_those_late(
    site, desktop, tmp_path
):
    course = lessons_course(tmp_path, slug="daily-staff", title="计量器具日常核查")
    manager = make_user("trainer2", real_name="陈经理")
    organisation = make_organisation(manager=manager, name="上海示例机电有限公司")
    staff = [add_member(organisation, make_user(real_name=n)).user for n in ("吴检", "郑检")]
    now = timezone.now()
    late = staff_work.assign(
        organisation,
        manager,
        course=course,
        opens_at=now - timedelta(days=9),
        due_at=now - timedelta(days=1),
        audience=AssignmentAudience.LEARNERS,
        user_ids=[u.pk for u in staff],
    )
    learning.enrol(staff[0], course)

    page = desktop
    sign_in(page, site, "trainer2")
    page.goto(site + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="员工培训").click()
    expect(page.locator("h1")).to_have_text("员工培训")
    expect(page.locator("p.lead")).to_contain_text("上海示例机电有限公司")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的学习").click()
    panel = page.locator("section.attention")
    expect(panel.get_by_role("link", name="2 人已逾期")).to_be_visible()
    assert serious_violations(page) == []
    shoot_dashboard(page, site, "manager")

    page.set_viewport_size(SIZES["desktop"])
    page.goto(site + "/dashboard/")
    page.locator("section.attention").get_by_role("link", name=late.title).click()
    page.get_by_text("提醒未完成的人").click()
    page.get_by_role("button", name="发送提醒").click()
    expect(page.get_by_text("已向 2 位尚未完成的学员发送提醒。")).to_be_visible()
    expect(page.get_by_text("上次提醒")).to_be_visible()
