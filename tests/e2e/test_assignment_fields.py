"""The group and pupil fields of a class assignment, and the department and people fields of
a staff assignment, show only while their choice is made (and all show without JavaScript)."""

import pytest
from playwright.sync_api import expect

from classrooms import services
from tests.accounts.factories import add_member, make_organisation, make_user
from tests.certificates.helpers import lessons_course
from tests.classrooms.helpers import (
    make_class,
    make_pupil,
    make_school,
    make_teacher,
    school_module,
)
from tests.e2e.test_account_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def field(page, name):
    """The wrapper of a form field, found from its input."""
    return page.locator(f".form-field:has([name='{name}'])")


def test_class_assignment_fields_follow_the_audience(site, desktop, tmp_path):
    course, _ = school_module(tmp_path, slug="fields-journey")
    school = make_school()
    teacher = make_teacher(school, username="zhou2")
    classroom = make_class(school, teacher)
    pupil = make_pupil(school, classroom, real_name="王小明")
    services.save_group(classroom, name="第一组", members=[pupil])

    page = desktop
    sign_in(page, site, "zhou2")
    page.goto(site + f"/classes/{classroom.pk}/modules/{course.pk}/assign/")
    group, pupils = field(page, "group"), field(page, "recipients")
    expect(group).to_be_hidden()
    expect(pupils).to_be_hidden()
    page.get_by_role("radio", name="一个小组").check()
    expect(group).to_be_visible()
    expect(pupils).to_be_hidden()
    page.get_by_role("radio", name="指定学生").check()
    expect(pupils).to_be_visible()
    expect(group).to_be_hidden()
    page.get_by_role("radio", name="全班").check()
    expect(pupils).to_be_hidden()


def test_staff_assignment_fields_follow_the_choice(site, desktop, tmp_path):
    lessons_course(tmp_path, slug="fields-staff", title="计量器具日常核查")
    manager = make_user("trainer2", real_name="陈经理")
    organisation = make_organisation(manager=manager)
    add_member(organisation, make_user(real_name="吴检"), department="质检部")

    page = desktop
    sign_in(page, site, "trainer2")
    page.goto(site + "/org/assignments/")
    department, people = field(page, "department"), field(page, "members")
    expect(department).to_be_hidden()
    expect(people).to_be_hidden()
    page.get_by_role("radio", name="某个部门").check()
    expect(department).to_be_visible()
    expect(people).to_be_hidden()
    page.get_by_role("radio", name="指定人员").check()
    expect(people).to_be_visible()
    expect(department).to_be_hidden()


def test_without_javascript_every_field_shows(site, browser, tmp_path):
    lessons_course(tmp_path, slug="fields-nojs", title="计量器具日常核查")
    manager = make_user("trainer3", real_name="陈经理")
    make_organisation(manager=manager)
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    sign_in(page, site, "trainer3")
    page.goto(site + "/org/assignments/")
    expect(field(page, "department")).to_be_visible()
    context.close()
