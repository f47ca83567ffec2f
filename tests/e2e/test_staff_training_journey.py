import csv
import io

import pytest

from tests.accounts.factories import add_member, make_organisation, make_user
from tests.certificates.helpers import lessons_course
from tests.e2e.test_account_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_assigns_a_course_to_a_department_and_exports_progress(site, phone, tmp_path):
    lessons_course(tmp_path, slug="staff-journey", title="计量器具日常核查")
    manager = make_user("trainer1", real_name="陈经理")
    organisation = make_organisation(manager=manager, name="上海示例机电有限公司")
    for name, department in (("吴检", "质检部"), ("郑检", "质检部"), ("冯装", "装配车间")):
        add_member(organisation, make_user(real_name=name), department=department)

    page = phone
    sign_in(page, site, "trainer1")
    page.goto(site + "/org/assignments/")
    page.get_by_label("课程", exact=True).select_option(label="计量器具日常核查")
    page.get_by_label("某个部门").check()
    page.locator("#id_department").select_option("质检部")
    page.get_by_role("button", name="指派给员工").click()
    assert page.locator("h1").inner_text() == "计量器具日常核查"
    table = page.locator("table").inner_text()
    assert "吴检" in table and "郑检" in table and "冯装" not in table
    assert table.count("未开始") == 2

    with page.expect_download() as info:
        page.get_by_role("link", name="导出 CSV").click()
    rows = list(csv.reader(io.StringIO(info.value.path().read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["姓名", "部门", "状态", "学习进度"]
    assert sorted(r[0] for r in rows[1:]) == ["吴检", "郑检"]
