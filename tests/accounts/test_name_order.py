"""Lists of people follow pinyin order (安, 陈, 李, 王, 张), as a Chinese reader expects, not
the order of character codes (安, 张, 李, 王, 陈), in pages and exports alike."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.names import name_sort_key
from classrooms.reports import class_report
from tests.accounts.factories import add_member, make_organisation, make_user
from tests.classrooms.helpers import make_class, make_pupil, make_school, make_teacher

NAMES = ["王小明", "张伟", "安然", "陈静", "李雷"]
PINYIN_ORDER = ["安然", "陈静", "李雷", "王小明", "张伟"]

pytestmark = pytest.mark.django_db


def positions(text, names):
    return sorted(names, key=text.index)


def test_keys_follow_pinyin_and_surname_readings():
    assert name_sort_key("王小明") == "wang2 xiao3 ming2"
    assert name_sort_key("单田芳").startswith("shan4 ")  # the surname, not dān
    assert name_sort_key("曾国藩").startswith("zeng1 ")
    assert name_sort_key("阿卜杜拉·艾力").startswith("a1 ")
    assert name_sort_key("") == ""


def test_a_renamed_person_moves_in_the_list():
    user = make_user(real_name="张伟")
    user.real_name = "安伟"
    user.save(update_fields=["real_name"])
    assert User.objects.get(pk=user.pk).name_key.startswith("an1 ")


def test_class_report_lists_pupils_by_pinyin():
    school = make_school()
    classroom = make_class(school, make_teacher(school))
    for name in NAMES:
        make_pupil(school, classroom, real_name=name)
    report = class_report(classroom, sort="name")
    assert [row.user.real_name for row in report.rows] == PINYIN_ORDER


def test_staff_list_and_its_export_by_pinyin(client):
    manager = make_user("boss", real_name="周经理")
    organisation = make_organisation(manager=manager)
    for name in NAMES:
        add_member(organisation, make_user(real_name=name), department="质检部")
    client.force_login(manager)
    page = client.get(reverse("staff_progress")).content.decode()
    assert positions(page, NAMES) == PINYIN_ORDER
    response = client.get(reverse("staff_progress"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:] if row[0] in NAMES] == PINYIN_ORDER


def test_organisation_members_page_by_pinyin(client):
    manager = make_user("boss", real_name="周经理")
    organisation = make_organisation(manager=manager)
    for name in NAMES:
        add_member(organisation, make_user(real_name=name))
    client.force_login(manager)
    page = client.get(reverse("organisation")).content.decode()
    assert positions(page, NAMES) == PINYIN_ORDER
