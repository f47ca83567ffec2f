import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import WorkflowState

from cms.setup import EDITORS, REVIEWERS
from courses.models import CoursePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(catalog):
    User = get_user_model()
    editor = User.objects.create_user("ed", password="x" * 12, is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    reviewer = User.objects.create_user("rev", password="x" * 12, is_staff=True)
    reviewer.groups.add(Group.objects.get(name=REVIEWERS))
    return editor, reviewer


def edit_url(page):
    return f"/admin/pages/{page.pk}/edit/"


def post_edit(client, page, **overrides):
    data = {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "language": page.language,
        "hours": str(page.hours),
        "grade_band": page.grade_band,
        "teacher_guide-count": "0",  # the teacher's guide, an empty StreamField
        "certificate": "on" if page.certificate else "",
        "audiences": [a.pk for a in page.audiences.all()],
        "subjects": [s.pk for s in page.subjects.all()],
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return client.post(edit_url(page), data)


def test_editor_cannot_publish_but_submits_for_review(client, people):
    editor, _ = people
    course = CoursePage.objects.get(slug="metrology-basics")
    client.force_login(editor)
    assert client.get(edit_url(course)).status_code == 200

    post_edit(client, course, title="计量基础（修订版）", **{"action-publish": "publish"})
    course.refresh_from_db()
    assert course.title != "计量基础（修订版）"  # not live: editors have no publish permission

    response = post_edit(client, course, title="计量基础（修订版）", **{"action-submit": "submit"})
    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(course.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name.startswith("内容审核")
    course.refresh_from_db()
    assert course.title == "计量基础与测量设备管理"  # still the published version


def test_reviewer_approval_publishes_the_submitted_revision(client, people):
    editor, reviewer = people
    course = CoursePage.objects.get(slug="metrology-basics")
    client.force_login(editor)
    post_edit(client, course, title="计量基础（修订版）", **{"action-submit": "submit"})
    state = WorkflowState.objects.get(object_id=str(course.pk))

    client.force_login(reviewer)
    task_state = state.current_task_state
    response = client.post(
        f"/admin/pages/workflow/action/{course.pk}/approve/{task_state.pk}/",
        {"comment": "内容已核对"},
    )
    assert response.status_code in (200, 302)
    course.refresh_from_db()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert course.title == "计量基础（修订版）" and course.live
    assert course.revisions.count() >= 2


def test_administrator_edits_audiences_and_subjects_as_snippets(client, catalog):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "x" * 12)
    client.force_login(admin)
    listing = client.get("/admin/snippets/courses/audience/")
    assert listing.status_code == 200
    assert "首席质量官" in listing.content.decode()
    response = client.post(
        "/admin/snippets/courses/subject/add/",
        {
            "slug": "brand",
            "name": "品牌建设",
            "name_en": "Brand building",
            "sort_order": 9,
            "description": "",
            "description_en": "",
        },
    )
    assert response.status_code == 302
    from courses.models import Subject

    assert Subject.objects.get(slug="brand").label == "品牌建设"
