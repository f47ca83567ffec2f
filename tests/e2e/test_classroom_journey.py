"""A teacher sets up a class and a module; a pupil joins and studies; the teacher reads the
report and exports it. Screenshots of the class pages go to /tmp/shots-classrooms/."""

import csv
import io
from pathlib import Path

import pytest

from classrooms import services
from classrooms.models import Classroom
from tests.accounts.factories import make_user
from tests.classrooms.helpers import make_school, make_teacher, school_module
from tests.e2e.test_account_journeys import sign_in
from tests.e2e.test_learning_journey import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots-classrooms")


def shoot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def widest(page):
    """The elements sticking out to the right of the viewport, for the failure message."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .filter(e => !e.closest('.table-scroll'))
        .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
    )


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_teacher_assigns_pupil_studies_teacher_sees_statuses_and_exports(
    site, desktop, phone, tmp_path
):
    course, _ = school_module(tmp_path, slug="measure-journey", lessons=3)
    school = make_school()
    teacher = make_teacher(school, real_name="周老师", username="zhou")
    make_user("xiaoming", real_name="王小明")
    late = make_user("liyue", real_name="李玥")

    page = desktop
    sign_in(page, site, "zhou")
    page.goto(site + "/classes/")
    page.get_by_role("link", name="创建班级").click()
    page.get_by_label("班级名称").fill("初二（3）班")
    page.get_by_label("学段").select_option(label="初中")
    page.get_by_label("年级").select_option(label="2 年级")
    page.get_by_role("button", name="保存").click()
    assert page.locator("h1").inner_text() == "初二（3）班"
    code = page.locator("#class-code").inner_text()
    classroom = Classroom.objects.get(school=school)
    assert list(classroom.teachers.all()) == [teacher]

    page.get_by_role("link", name="布置学习模块").first.click()
    assert page.locator(".chip[aria-current]").inner_text() == "初中"
    page.get_by_role("link", name=f"布置 {course.title}").click()
    page.get_by_label("截止").fill("2030-06-30T22:00")
    page.get_by_role("button", name="布置").click()
    assert "已布置。" in page.locator(".messages").inner_text()
    assert "2030-06-30 22:00" in page.locator("#assignments-heading + *").inner_text()
    assert serious_violations(page) == []
    shoot(page, "class-desktop")

    pupil = phone
    sign_in(pupil, site, "xiaoming")
    pupil.goto(site + "/classes/join/")
    pupil.get_by_label("班级码").fill("WRONG1")
    pupil.get_by_role("button", name="加入").click()
    assert "班级码无效" in pupil.locator(".form-error").inner_text()
    pupil.get_by_label("班级码").fill(code.lower())
    pupil.get_by_role("button", name="加入").click()
    assert pupil.locator("h1").inner_text() == "初二（3）班"
    pupil.goto(site + "/dashboard/")
    card = pupil.locator(".assignment-list li").first
    assert "2030-06-30 22:00" in card.inner_text() and "未开始" in card.inner_text()
    assert no_sideways_scroll(pupil)
    shoot(pupil, "dashboard-phone")
    card.get_by_role("button", name=f"开始 {course.title}").click()
    assert pupil.locator("h1").inner_text().startswith("第1课")
    pupil.get_by_role("button", name="标记为已学完").click()
    services.join_classroom(late, code)  # joined through the link later, has done nothing

    page.goto(site + f"/classes/{classroom.pk}/report/")
    rows = page.locator("table.report tbody tr")
    assert rows.count() == 2
    assert "王小明" in rows.nth(1).inner_text() or "王小明" in rows.nth(0).inner_text()
    by_name = {
        rows.nth(i).locator("th").inner_text(): rows.nth(i).locator("td").inner_text()
        for i in range(2)
    }
    assert "进行中" in by_name["王小明"] and "25%" in by_name["王小明"]
    assert "未开始" in by_name["李玥"]
    assert serious_violations(page) == []
    shoot(page, "report-desktop")

    with page.expect_download() as download:
        page.get_by_role("link", name="导出 CSV").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(content)))
    assert table[0][:3] == ["姓名", "用户名", f"{course.title} · 状态"]
    exported = {row[0]: row[2:4] for row in table[1:]}
    assert exported == {"王小明": ["进行中", "25"], "李玥": ["未开始", ""]}

    phone_teacher = phone.context.browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN"
    ).new_page()
    sign_in(phone_teacher, site, "zhou")
    for name, url in (
        ("class-phone", f"/classes/{classroom.pk}/"),
        ("report-phone", f"/classes/{classroom.pk}/report/"),
        ("modules-phone", f"/classes/{classroom.pk}/modules/"),
        ("projector-phone", f"/classes/{classroom.pk}/projector/"),
    ):
        phone_teacher.goto(site + url)
        shoot(phone_teacher, name)
        assert no_sideways_scroll(phone_teacher), (name, widest(phone_teacher))
    phone_teacher.context.close()
