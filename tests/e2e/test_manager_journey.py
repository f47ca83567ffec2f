"""A training manager's day, in Chinese and in English, from the home page by clicks alone:
staff training from the header, the staff list and a ledger exported, a course assigned to all
staff, its progress exported and a reminder sent to those not done."""

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import add_member, make_organisation, make_user
from tests.certificates.helpers import finish, lessons_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "zh-hans": {
        "main": "主导航",
        "staff": "员工培训",
        "export": "导出 CSV",
        "mark": "标记",
        "cqo": {"培训达标", "培训未达标"},
        "staff_header": ["姓名", "用户名或邮箱", "部门"],
        "cqo_header": "首席质量官",
        "ledger": "培训记录",
        "ledger_header": ["年度", "课程", "已完成", "学时", "证书编号", "状态"],
        "valid": "有效",
        "assigned": "指派的培训",
        "course": "课程",
        "all_staff": "全体员工（包括以后加入的员工）",
        "due": "截止",
        "assign": "指派给员工",
        "assignment_header": ["姓名", "部门", "状态", "学习进度"],
        "not_started": "未开始",
        "completed": "已完成",
        "remind": "提醒未完成的人",
        "send": "发送提醒",
        "reminded": "已向 2 位尚未完成的学员发送提醒。",
        "last": "上次提醒",
    },
    "en": {
        "main": "Main",
        "staff": "Staff training",
        "export": "Export CSV",
        "mark": "Mark",
        "cqo": {"current", "not current"},
        "staff_header": ["Name", "Username or e-mail", "Department"],
        "cqo_header": "Chief quality officer",
        "ledger": "Training record",
        "ledger_header": [
            "Year",
            "Course",
            "Completed",
            "Training hours",
            "Certificate number",
            "Status",
        ],
        "valid": "Valid",
        "assigned": "Assigned training",
        "course": "Course",
        "all_staff": "All staff, including those who join later",
        "due": "Due",
        "assign": "Assign to staff",
        "assignment_header": ["Name", "Department", "Status", "Progress"],
        "not_started": "Not started",
        "completed": "Completed",
        "remind": "Send a reminder to those not done",
        "send": "Send the reminder",
        "reminded": "A reminder was sent to 2 learners who have not completed it.",
        "last": "Last reminder sent",
    },
}
# Pinyin order is 陈晨 (chen), 李玥 (li), 张伟 (zhang); by character code it would be 张, 李, 陈.
STAFF = ("张伟", "李玥", "陈晨")
IN_PINYIN_ORDER = ["陈晨", "李玥", "张伟"]


def download_csv(page, link):
    with page.expect_download() as info:
        link.click()
    return list(csv.reader(io.StringIO(info.value.path().read_text(encoding="utf-8-sig"))))


@pytest.fixture
def enterprise(tmp_path):
    """Three staff in one department; 陈晨 has already completed the course (and holds its
    certificate); the manager is a member too, and must not be given the work."""
    course = lessons_course(tmp_path, slug="journey-staff", title="计量器具日常核查")
    manager = make_user("trainer-day", real_name="冯经理")
    organisation = make_organisation(manager=manager, name="上海示例机电有限公司")
    staff = {
        n: add_member(organisation, make_user(real_name=n), department="质检部").user for n in STAFF
    }
    finish(staff["陈晨"], course)
    return course


def test_a_manager_goes_from_the_home_page_through_a_day_of_staff_training(
    from_home, phone, language, enterprise
):
    course = enterprise
    w = WORDS[language]
    page = from_home(phone, "trainer-day")
    page.get_by_role("navigation", name=w["main"]).get_by_role("link", name=w["staff"]).click()
    expect(page.locator("h1")).to_have_text(w["staff"])

    # Mark 陈晨 as chief quality officer, then export the staff list: the header and the
    # officer's standing are in the page's language, the names in pinyin order.
    page.get_by_role("button", name=f"{w['mark']} 陈晨", exact=True).click()
    standing = page.locator("tr", has_text="陈晨").locator(".status").inner_text()
    assert standing in w["cqo"]
    rows = download_csv(page, page.get_by_role("link", name=w["export"]))
    assert rows[0][:3] == w["staff_header"]
    # The manager, in no department, comes first; then the department by pinyin.
    assert [r[0] for r in rows[1:]] == ["冯经理", *IN_PINYIN_ORDER]
    officer = rows[0].index(w["cqo_header"])
    assert [r[officer] for r in rows[1:]] == ["", standing, "", ""]

    # 陈晨's training record and its export: the certificate's status in words.
    page.get_by_role("link", name="陈晨").click()
    expect(page.locator("h1")).to_have_text(w["ledger"])
    expect(page.locator("main")).to_contain_text(course.title)
    rows = download_csv(page, page.get_by_role("link", name=w["export"]))
    assert rows[0] == w["ledger_header"]
    assert rows[1][1] == course.title and rows[1][5] == w["valid"]

    # Assign the course to all staff: the three of them, not the manager.
    page.get_by_role("navigation", name=w["main"]).get_by_role("link", name=w["staff"]).click()
    page.get_by_role("link", name=w["assigned"]).click()
    page.get_by_label(w["course"], exact=True).select_option(label=course.title)
    page.get_by_label(w["all_staff"]).check()
    page.get_by_label(w["due"], exact=True).fill("2030-06-30T22:00")
    page.get_by_role("button", name=w["assign"]).click()
    expect(page.locator("h1")).to_have_text(course.title)
    names = page.locator("table tbody tr td:first-child").all_inner_texts()
    assert names == IN_PINYIN_ORDER
    rows = download_csv(page, page.get_by_role("link", name=w["export"]))
    assert rows[0] == w["assignment_header"]
    assert [(r[0], r[2]) for r in rows[1:]] == [
        ("陈晨", w["completed"]),
        ("李玥", w["not_started"]),
        ("张伟", w["not_started"]),
    ]

    # Remind the two not done; the page then says when the last reminder went.
    page.locator("summary", has_text=w["remind"]).click()
    page.get_by_role("button", name=w["send"]).click()
    expect(page.get_by_text(w["reminded"])).to_be_visible()
    expect(page.get_by_text(w["last"])).to_be_visible()
