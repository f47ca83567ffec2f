"""A teacher's day, in Chinese and in English, from the home page by clicks alone: the header's
link to the classes, the dashboard's attention panel, an assignment's dates, the warning when a
module is assigned twice, a reminder to those not done, and the class report's export."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import CoursePage
from courses.package.services import import_packages
from tests.certificates.helpers import finish
from tests.classrooms.helpers import (
    assign,
    make_class,
    make_pupil,
    make_school,
    make_teacher,
    school_module,
)
from tests.factories import package_dict, write_package

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "zh-hans": {
        "main": "主导航",
        "classes": "我的班级",
        "dashboard": "我的学习",
        "attention": "我的班级：待处理",
        "overdue": "2 名学生已逾期",
        "due_week": "本周截止：{}",
        "change_dates": "修改日期 {}",
        "due": "截止",
        "save_dates": "保存日期",
        "dates_changed": "日期已修改。",
        "assign_module": "布置学习模块",
        "assign_course": "布置 {}",
        "assign": "布置",
        "already": "已经布置过",
        "class": "班级",
        "remind": "提醒未完成的人",
        "send": "发送提醒",
        "reminded": "已向 2 位尚未完成的学员发送提醒。",
        "report": "学情报告",
        "report_title": "班级学情报告",
        "by_name": "按姓名",
        "export": "导出 CSV",
        "name": "姓名",
        "status": "状态",
        "completed": "已完成",
        "overdue_status": "已逾期",
        "not_started": "未开始",
    },
    "en": {
        "main": "Main",
        "classes": "My classes",
        "dashboard": "My learning",
        "attention": "My classes: needs attention",
        "overdue": "2 pupils overdue",
        "due_week": "Due this week: {}",
        "change_dates": "Change dates {}",
        "due": "Due",
        "save_dates": "Save the dates",
        "dates_changed": "The dates are changed.",
        "assign_module": "Assign a module",
        "assign_course": "Assign {}",
        "assign": "Assign",
        "already": "Already assigned",
        "class": "Class",
        "remind": "Send a reminder to those not done",
        "send": "Send the reminder",
        "reminded": "A reminder was sent to 2 learners who have not completed it.",
        "report": "Report",
        "report_title": "Class report",
        "by_name": "by name",
        "export": "Export CSV",
        "name": "Name",
        "status": "Status",
        "completed": "Completed",
        "overdue_status": "Overdue",
        "not_started": "Not started",
    },
}
# Pinyin order is 陈晨 (chen), 李玥 (li), 张伟 (zhang); by character code it would be 张, 李, 陈.
PUPILS = ("张伟", "李玥", "陈晨")
IN_PINYIN_ORDER = ["陈晨", "李玥", "张伟"]


@pytest.fixture
def school_day(tmp_path):
    """A class of three; a whole-course module overdue (陈晨 finished it) and a quiz due in
    three days that nobody has started."""
    data = package_dict(
        slug="journey-reading", title="认识计量单位", lessons=1, audiences=["school"]
    )
    data["grade_band"] = "junior"
    import_packages([write_package(tmp_path, data)])
    reading = CoursePage.objects.get(slug="journey-reading")
    module, quiz = school_module(tmp_path, slug="journey-quiz", lessons=1)
    school = make_school()
    teacher = make_teacher(school, real_name="周老师", username="teacher-day")
    classroom = make_class(school, teacher, name="初二（3）班")
    pupils = {name: make_pupil(school, classroom, real_name=name) for name in PUPILS}
    overdue = assign(classroom, teacher, reading, days=-1, opened_days_ago=6)
    this_week = assign(classroom, teacher, module, quiz, days=3)
    finish(pupils["陈晨"], reading)
    return classroom, overdue, this_week


def test_a_teacher_goes_from_the_home_page_through_a_day_of_class_work(
    from_home, desktop, language, school_day
):
    classroom, overdue, this_week = school_day
    w = WORDS[language]
    page = from_home(desktop, "teacher-day")
    nav = page.get_by_role("navigation", name=w["main"])

    # The header leads to the classes.
    nav.get_by_role("link", name=w["classes"]).click()
    expect(page.get_by_role("link", name=classroom.name)).to_be_visible()

    # The dashboard says what needs attention.
    nav.get_by_role("link", name=w["dashboard"]).click()
    panel = page.locator("section.attention")
    expect(panel.get_by_role("heading", name=w["attention"])).to_be_visible()
    expect(panel.get_by_role("link", name=w["overdue"])).to_be_visible()
    expect(panel.get_by_role("link", name=w["due_week"].format(this_week.title))).to_be_visible()

    # Move the quiz's due date: the form shows the current one in the ISO form a
    # datetime-local input accepts, in either language.
    panel.get_by_role("link", name=classroom.name).click()
    page.get_by_role("link", name=w["change_dates"].format(this_week.title)).click()
    due_field = page.get_by_label(w["due"], exact=True)
    current = timezone.localtime(this_week.due_at)
    expect(due_field).to_have_value(current.strftime("%Y-%m-%dT%H:%M"))
    new_due = (current + timedelta(days=2)).replace(hour=18, minute=0)
    due_field.fill(new_due.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name=w["save_dates"]).click()
    expect(page.get_by_text(w["dates_changed"])).to_be_visible()
    row = page.locator("table.class-table tr", has_text=this_week.title)
    expect(row).to_contain_text(new_due.strftime("%Y-%m-%d 18:00"))

    # Setting the same quiz again to the same class, while the first is still open, warns
    # and names the first one.
    page.locator(".subnav").get_by_role("link", name=w["assign_module"]).click()
    page.get_by_role("link", name=w["assign_course"].format(this_week.course.title)).click()
    page.get_by_label(this_week.quiz.title).check()
    page.get_by_role("button", name=w["assign"], exact=True).click()
    warning = page.get_by_role("alert")
    expect(warning.get_by_role("heading", name=w["already"])).to_be_visible()
    expect(warning).to_contain_text(this_week.title)
    page.locator(".subnav").get_by_role("link", name=w["class"], exact=True).click()
    assignments = page.locator("section[aria-labelledby='assignments-heading'] tbody tr")
    expect(assignments).to_have_count(2)  # nothing added

    # Remind the two who have not finished the overdue module.
    row = assignments.filter(has_text=overdue.title)
    row.locator("summary", has_text=w["remind"]).click()
    row.get_by_role("button", name=w["send"]).click()
    expect(page.get_by_text(w["reminded"])).to_be_visible()

    # The class report, by name, exported: one language and pinyin order throughout.
    page.locator(".subnav").get_by_role("link", name=w["report"]).click()
    expect(page.locator("h1")).to_have_text(w["report_title"])
    page.get_by_role("link", name=w["by_name"]).click()
    names = page.locator("table.report tbody th").all_inner_texts()
    assert [n.split()[0] for n in names] == IN_PINYIN_ORDER
    with page.expect_download() as info:
        page.get_by_role("link", name=w["export"]).click()
    rows = list(csv.reader(io.StringIO(info.value.path().read_text(encoding="utf-8-sig"))))
    header = rows[0]
    assert header[0] == w["name"]
    first = header.index(f"{overdue.title} · {w['status']}")
    quiz = header.index(f"{this_week.title} · {w['status']}")
    assert [r[0] for r in rows[1:]] == IN_PINYIN_ORDER
    assert [r[first] for r in rows[1:]] == [
        w["completed"],
        w["overdue_status"],
        w["overdue_status"],
    ]
    assert {r[quiz] for r in rows[1:]} == {w["not_started"]}
