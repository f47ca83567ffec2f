"""A teacher's dashboard and header: their classes and what needs attention in them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from courses import services as learning
from tests.accounts.factories import add_member, make_user
from tests.classrooms.helpers import (
    assign,
    make_class,
    make_pupil,
    make_school,
    make_teacher,
    school_module,
)
from tests.classrooms.test_services import take_quiz
from tests.classrooms.test_views import ESSAY_GIFT

pytestmark = pytest.mark.django_db


@pytest.fixture
def essay_module(catalog, tmp_path):
    return school_module(tmp_path, slug="essay-module", gift=ESSAY_GIFT, shuffle=False)


def test_a_teacher_finds_classes_in_the_header_and_what_needs_attention(client, essay_module):
    course, quiz = essay_module
    school = make_school()
    teacher = make_teacher(school)
    classroom = make_class(school, teacher, name="初二（3）班")
    quiet = make_class(school, teacher, name="初二（5）班")
    late = make_pupil(school, classroom, real_name="王小明")
    writer = make_pupil(school, classroom, real_name="李小红")
    assign(classroom, teacher, course, days=-1, opened_days_ago=5)  # overdue for both
    essay_work = assign(classroom, teacher, course, quiz, days=3)
    learning.enrol(writer, course)
    take_quiz(writer, quiz, {"q-si": 0, "q-why": "校准保证称量准确。"})
    client.force_login(teacher)

    home = client.get("/").content.decode()
    assert 'href="/classes/">我的班级</a>' in home
    assert "员工培训" not in home and "管理后台" not in home

    html = client.get("/dashboard/").content.decode()
    panel = html[html.index("我的班级：待处理") :]
    assert "2 名学生已逾期" in panel
    assert "1 份问答待批改" in panel
    assert f'href="/classes/{classroom.pk}/assignments/{essay_work.pk}/"' in panel
    assert f"本周截止：{essay_work.title}" in panel
    quiet_row = panel[panel.index(quiet.name) :]
    assert quiet_row.index("暂无待处理事项") < quiet_row.index("</li>")
    assert late  # named for the reader: 王小明 is overdue, not having started


def test_a_learner_sees_no_work_links_and_pays_no_query_for_them(client, catalog):
    learner = make_user()
    client.force_login(learner)
    client.get("/courses/")
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/courses/").content.decode()
    assert not [q for q in ctx.captured_queries if "accounts_membership" in q["sql"]]
    assert 'href="/classes/"' not in html and 'href="/org/staff/"' not in html
    assert "管理后台" not in html


def test_a_new_role_shows_at_once(client, catalog):
    school = make_school()
    user = make_user()
    client.force_login(user)
    assert 'href="/classes/"' not in client.get("/courses/").content.decode()
    membership = add_member(school, user, role=Role.LEARNER)
    membership.role = Role.TEACHER
    membership.save()
    assert 'href="/classes/"' in client.get("/courses/").content.decode()
    membership.delete()
    assert 'href="/classes/"' not in client.get("/courses/").content.decode()


def test_an_administrator_finds_the_admin_in_the_header_and_on_the_dashboard(client, db):
    admin = make_user(is_superuser=True, is_staff=True)
    client.force_login(admin)
    html = client.get("/dashboard/").content.decode()
    assert html.count('href="/admin/"') == 2 and "管理后台" in html


def _dashboard_queries(client, classes, course, quiz, now):
    school = make_school(f"学校{classes}")
    teacher = make_teacher(school, username=f"teacher{classes}")
    for n in range(classes):
        classroom = make_class(school, teacher, name=f"{n + 1}班")
        pupils = [make_pupil(school, classroom, real_name=f"学生{n}{i}") for i in range(2)]
        assign(classroom, teacher, course, days=-1, opened_days_ago=3)
        assign(classroom, teacher, course, quiz, days=3)
        learning.enrol(pupils[0], course)
    client.force_login(teacher)
    client.get("/dashboard/")
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/dashboard/").content.decode()
    assert html.count("2 名学生已逾期") == classes
    return len(ctx.captured_queries)


def test_the_teacher_panel_costs_the_same_queries_for_2_and_10_classes(client, essay_module):
    course, quiz = essay_module
    now = timezone.now()
    assert _dashboard_queries(client, 2, course, quiz, now) == _dashboard_queries(
        client, 10, course, quiz, now + timedelta(seconds=1)
    )
