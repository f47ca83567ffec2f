import re

import pytest
from django.core import mail

from accounts.models import Membership, OrganisationKind, Role, User
from tests.accounts.factories import PASSWORD, add_member, credit_code, make_organisation, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, site, login, password=PASSWORD):
    page.goto(site + "/accounts/login/")
    page.get_by_label("电子邮件或用户名").fill(login)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_worker_signs_up_verifies_email_and_sees_profile(site, phone):
    page = phone
    page.goto(site + "/")
    page.get_by_role("link", name="登录").click()
    page.get_by_role("link", name="注册").first.click()
    page.get_by_label("电子邮件").fill("li.zhe@example.com")
    page.get_by_label("真实姓名").fill("李喆")
    page.get_by_label("我是").select_option("frontline")
    page.get_by_label("所在区").select_option(label="闵行区")
    page.get_by_label("密码", exact=True).fill("zhiliang-first-2026")
    page.get_by_label("密码（重复）").fill("zhiliang-first-2026")
    page.get_by_role("button", name="注册").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert User.objects.get(email="li.zhe@example.com").real_name == "李喆"

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group()
    page.goto(site + link.split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    page.get_by_role("button", name="确认").click()
    page.goto(site + "/accounts/profile/")
    assert page.get_by_label("真实姓名").input_value() == "李喆"
    assert page.get_by_label("所在区").input_value() == "310112"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_training_manager_imports_three_staff_after_a_dry_run(site, desktop, tmp_path):
    manager = make_user("manager1", real_name="陈堃")
    organisation = make_organisation(manager=manager, name="上海示范精密机械有限公司")
    csv = tmp_path / "staff.csv"
    csv.write_text(
        "姓名,邮箱,部门,工号\n张伟,zhang.wei@example.com,装配车间,A001\n"
        "王堃,wang.kun@example.com,质检部,A002\n阿卜杜拉·艾力,abdul@example.com,仓库,A003\n",
        encoding="utf-8",
    )
    page = desktop
    sign_in(page, site, "manager1")
    page.goto(site + "/org/")
    page.get_by_role("link", name="从表格导入员工").click()
    page.get_by_label("表格文件（CSV 或 XLSX）").set_input_files(str(csv))
    page.get_by_role("button", name="检查文件").click()
    assert "将新建 3 人" in page.content()
    assert Membership.objects.filter(organisation=organisation).count() == 1  # dry run only

    page.get_by_role("button", name="确认导入").click()
    assert "新建 3 人" in page.locator("main").inner_text()
    page.goto(site + "/org/")
    table = page.locator("table").inner_text()
    for name in ("张伟", "王堃", "阿卜杜拉·艾力"):
        assert name in table
    assert len(mail.outbox) == 3


def test_teacher_creates_a_pupil_who_must_choose_a_password(site, desktop, browser):
    school = make_organisation(
        kind=OrganisationKind.SCHOOL, credit_code=credit_code(), name="上海市示范中学"
    )
    teacher = make_user("teacher1", real_name="周昇")
    add_member(school, teacher, role=Role.TEACHER)
    page = desktop
    sign_in(page, site, "teacher1")
    page.goto(site + "/school/pupils/")
    page.get_by_role("link", name="添加学生", exact=True).click()
    page.get_by_label("学生姓名").fill("王小明")
    page.get_by_label("学号").fill("20250101")
    page.get_by_role("button", name="创建账号").click()
    row = page.locator("table.credentials tbody tr").first
    username, password = (cell.strip() for cell in row.locator("code").all_inner_texts())
    assert username == f"p{school.pk}-20250101"

    pupil_context = browser.new_context(viewport={"width": 390, "height": 844})
    pupil = pupil_context.new_page()
    sign_in(pupil, site, username, password)
    pupil.goto(site + "/courses/")
    pupil.wait_for_url("**/accounts/password/change/")
    pupil.get_by_label("当前密码").fill(password)
    pupil.get_by_label("新密码", exact=True).fill("xiaoming-2026-pw")
    pupil.get_by_label("新密码（重复）").fill("xiaoming-2026-pw")
    pupil.get_by_role("button", name="修改密码").click()
    pupil.goto(site + "/courses/")
    assert pupil.locator("h1").inner_text() == "课程目录"
    assert not User.objects.get(username=username).must_change_password
    pupil_context.close()
