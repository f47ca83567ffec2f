"""Every page that takes an id answers 404 to anyone who does not teach that class, and
an object of one class is not found through another class's address."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import ImportBatch
from classrooms import services
from classrooms.models import Assignment, ClassGroup, ClassPupil
from courses import services as learning
from courses.models import Response
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

GET_PAGES = [
    "",
    "edit/",
    "teachers/",
    "qr.svg",
    "projector/",
    "groups/new/",
    "groups/{group}/",
    "pupils/add/",
    "pupils/import/",
    "pupils/import/{batch}/",
    "pupils/import/{batch}/slips.pdf",
    "modules/",
    "modules/{course}/assign/",
    "assignments/{assignment}/",
    "assignments/{assignment}/dates/",
    "assignments/{assignment}/withdraw/",
    "pupils/{pupil}/remove/",
    "report/",
    "report.csv",
    "report.xlsx",
]
POST_ACTIONS = [
    ("joining/", {"open": "0"}),
    ("joining/", {"renew": "1"}),
    ("archive/", {}),
    ("teachers/", {"remove": "{teacher}"}),
    ("pupils/{pupil}/remove/", {"confirm": "1"}),
    ("pupils/add/", {"pupils": ["{pupil}"]}),
    ("assignments/{assignment}/withdraw/", {"confirm": "1"}),
    (
        "assignments/{assignment}/dates/",
        {"dates-opens_at": "2030-01-01T08:00", "dates-due_at": "2030-02-01T08:00"},
    ),
    ("assignments/{assignment}/responses/{response}/grade/", {"r{response}-score": "100"}),
    ("pupils/import/{batch}/forget/", {}),
    ("groups/{group}/", {"name": "改名", "members": ["{pupil}"]}),
    ("modules/{course}/assign/", {"unit": "course", "audience": "class"}),
]


@pytest.fixture
def world(client, catalog, tmp_path):
    """School A with a full class; school B with a teacher, a class and a pupil of its own."""
    course, quiz = school_module(tmp_path, gift=ESSAY_GIFT, shuffle=False)
    school_a, school_b = make_school("甲校"), make_school("乙校")
    teacher_a, teacher_b = make_teacher(school_a, "甲老师"), make_teacher(school_b, "乙老师")
    class_a, class_b = make_class(school_a, teacher_a), make_class(school_b, teacher_b)
    pupil_a = make_pupil(school_a, class_a, real_name="甲学生")
    pupil_b = make_pupil(school_b, class_b, real_name="乙学生")
    group = services.save_group(class_a, name="小组", members=[pupil_a])
    assignment = assign(class_a, teacher_a, course, quiz)
    learning.enrol(pupil_a, course)
    take_quiz(pupil_a, quiz, {"q-si": 0, "q-why": "因为要准确"})
    client.force_login(teacher_a)
    upload = SimpleUploadedFile("p.csv", "姓名,学号\n钱七,7001\n".encode())
    client.post(f"/classes/{class_a.pk}/pupils/import/", {"file": upload})
    batch = ImportBatch.objects.get()
    client.post(f"/classes/{class_a.pk}/pupils/import/{batch.pk}/")
    ids = {
        "group": group.pk,
        "batch": batch.pk,
        "course": course.pk,
        "assignment": assignment.pk,
        "pupil": pupil_a.pk,
        "teacher": teacher_a.pk,
        "response": Response.objects.get(question_key="q-why").pk,
    }
    client.logout()
    return {
        "class_a": class_a,
        "class_b": class_b,
        "teacher_a": teacher_a,
        "teacher_b": teacher_b,
        "colleague_a": make_teacher(school_a, "甲校另一位老师"),
        "pupil_a": pupil_a,
        "pupil_b": pupil_b,
        "ids": ids,
    }


def fill(template, ids):
    return template.format(**ids)


def post_data(data, ids):
    return {
        fill(key, ids): [fill(v, ids) for v in (value if isinstance(value, list) else [value])]
        for key, value in data.items()
    }


def snapshot(world):
    class_a = world["class_a"]
    class_a.refresh_from_db()
    return (
        class_a.join_code,
        class_a.joining_open,
        class_a.archived_at,
        sorted(class_a.teachers.values_list("pk", flat=True)),
        ClassPupil.objects.count(),
        list(Assignment.objects.values_list("pk", "opens_at", "due_at")),
        list(ClassGroup.objects.values_list("name", flat=True)),
        Response.objects.get(pk=world["ids"]["response"]).credit,
    )


@pytest.mark.parametrize("who", ["teacher_b", "colleague_a", "pupil_a", "pupil_b"])
def test_others_get_404_for_every_page_and_action_of_a_class(client, world, who):
    client.force_login(world[who])
    base = f"/classes/{world['class_a'].pk}/"
    before = snapshot(world)
    for page in GET_PAGES:
        url = base + fill(page, world["ids"])
        if who == "pupil_a" and page == "":
            continue  # the pupil's own class: tested below
        assert client.get(url).status_code == 404, url
    for action, data in POST_ACTIONS:
        form = post_data(data, world["ids"])
        url = base + fill(action, world["ids"])
        assert client.post(url, form).status_code == 404, url
    assert snapshot(world) == before


def test_objects_of_one_class_are_not_found_through_another(client, world):
    """Teacher B, in B's own class, names A's group, pupil, assignment, response and batch."""
    client.force_login(world["teacher_b"])
    base = f"/classes/{world['class_b'].pk}/"
    before = snapshot(world)
    for page in GET_PAGES:
        if "{" in page and "{course}" not in page:
            assert client.get(base + fill(page, world["ids"])).status_code == 404, page
    for action, data in POST_ACTIONS:
        if "{" in action and "{course}" not in action:
            url = base + fill(action, world["ids"])
            assert client.post(url, post_data(data, world["ids"])).status_code == 404, url
    assert snapshot(world) == before


def test_a_pupil_sees_their_own_class_but_not_the_others_in_it(client, world):
    class_a = world["class_a"]
    other = make_pupil(class_a.school, class_a, real_name="同班同学")
    client.force_login(world["pupil_a"])
    html = client.get(f"/classes/{class_a.pk}/").content.decode()
    assert class_a.name in html and "我的学习任务" in html
    assert other.real_name not in html and class_a.join_code not in html
    assert client.get(f"/classes/{world['class_b'].pk}/").status_code == 404


def test_people_outside_schools_and_signed_out_visitors(client, world):
    from tests.accounts.factories import make_user

    client.force_login(make_user())
    assert client.get("/classes/new/").status_code == 404
    assert client.get(f"/classes/{world['class_a'].pk}/report/").status_code == 404
    client.logout()
    response = client.get(f"/classes/{world['class_a'].pk}/report/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_teacher_of_the_class_reaches_every_page(client, world):
    """So the 404s above come from the access rule, not from wrong addresses."""
    client.force_login(world["teacher_a"])
    base = f"/classes/{world['class_a'].pk}/"
    for page in GET_PAGES:
        status = client.get(base + fill(page, world["ids"])).status_code
        # The slips were forgotten when the importing session ended: 410, not 404.
        assert status == (410 if page.endswith("slips.pdf") else 200), page


def test_a_teacher_who_left_the_school_no_longer_sees_the_class(client, world):
    from accounts.models import Membership

    Membership.objects.filter(user=world["teacher_a"]).delete()
    client.force_login(world["teacher_a"])
    assert client.get(f"/classes/{world['class_a'].pk}/report/").status_code == 404
