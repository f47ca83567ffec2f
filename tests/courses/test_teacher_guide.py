"""School courses' grades and teachers' guides: in packages, on pages, and only for teachers."""

import textwrap

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import OrganisationKind, Role
from courses.models import CoursePage
from courses.package.schema import PackageError
from courses.package.services import export_package, import_packages
from tests.accounts.factories import add_member, credit_code, make_organisation, make_user
from tests.courses.test_package_import import snapshot
from tests.factories import package_dict, write_package

pytestmark = pytest.mark.django_db

GUIDE = textwrap.dedent(
    """\
    ## 教学目标
    学生能说出身边三种产品上的质量标志。

    ## 教学过程（40分钟）
    | 环节 | 时间 | 活动 |
    | --- | --- | --- |
    | 导入 | 5分钟 | 出示饼干包装，提问 |

    ## 活动单
    1. 找一找包装上的生产日期
    2. 画一画你认识的标志

    ## 参考答案
    > **提示：** 生产日期一般印在包装封口处。
    """
)
SECRET = "生产日期一般印在包装封口处"


def school_package(slug="guide-course", grades=(1, 2), guide=GUIDE, band="primary", **extra):
    data = package_dict(slug=slug, audiences=["school"], grade_band=band, **extra)
    if grades is not None:
        data["grades"] = list(grades)
    if guide is not None:
        data["teacher_guide"] = guide
    return data


def import_school_course(tmp_path, **kwargs):
    import_packages([write_package(tmp_path, school_package(**kwargs))])
    return CoursePage.objects.get(slug=kwargs.get("slug", "guide-course"))


def school_user(role):
    user = make_user()
    school = make_organisation(kind=OrganisationKind.SCHOOL, credit_code=credit_code())
    add_member(school, user, role=role)
    return user


# --- the package format -------------------------------------------------------------------


def test_grades_and_guide_are_imported_and_round_trip(catalog, tmp_path):
    course = import_school_course(tmp_path)
    assert (course.grade_band, course.grade_min, course.grade_max) == ("primary", 1, 2)
    assert [block.block_type for block in course.teacher_guide] == [
        "heading",
        "paragraph",
        "heading",
        "table",
        "heading",
        "paragraph",
        "heading",
        "callout",
    ]
    exported = export_package("guide-course")
    assert "grades:\n- 1\n- 2\n" in exported and "teacher_guide: |" in exported
    out = tmp_path / "out"
    out.mkdir()
    (out / "guide-course.yaml").write_text(exported, encoding="utf-8")
    before = (*snapshot(), CoursePage.objects.get(slug="guide-course").revisions.count())
    assert import_packages([out])[0].status == "unchanged"
    assert (*snapshot(), CoursePage.objects.get(slug="guide-course").revisions.count()) == before
    assert export_package("guide-course") == exported


def test_changing_the_guide_or_the_grades_updates_the_course(catalog, tmp_path):
    import_school_course(tmp_path)
    import_school_course(tmp_path, guide=GUIDE.replace("三种", "四种"))
    course = CoursePage.objects.get(slug="guide-course")
    assert "四种" in str(course.teacher_guide)
    result = import_packages(
        [
            write_package(
                tmp_path, school_package(grades=(3, 4), guide=GUIDE.replace("三种", "四种"))
            )
        ]
    )
    course.refresh_from_db()
    assert result[0].status == "updated" and (course.grade_min, course.grade_max) == (3, 4)
    # Dropping both keys clears them: the package is the whole truth about the course.
    import_packages([write_package(tmp_path, school_package(grades=None, guide=None))])
    course.refresh_from_db()
    assert course.grade_min is None and course.grade_max is None and not course.teacher_guide


def test_courses_without_the_new_keys_export_without_them(catalog, tmp_path):
    # metrology-basics has a SCORM unit, whose archive is written beside the YAML.
    exported = export_package("metrology-basics", tmp_path)
    assert "grades:" not in exported and "teacher_guide:" not in exported


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        ({"grades": [1, 7]}, "grades", "within primary grades 1 to 6"),
        ({"grades": [3, 2]}, "grades", "first <= last"),
        ({"grades": [0, 2]}, "grades", "within primary grades 1 to 6"),
        ({"grade_band": "junior", "grades": [2, 4]}, "grades", "within junior grades 1 to 3"),
        ({"grades": [2]}, "grades", "two whole numbers"),
        ({"grades": "1-2"}, "grades", "two whole numbers"),
        ({"grades": [1, True]}, "grades", "two whole numbers"),
        ({"grade_band": None, "teacher_guide": None}, "grades", "school courses only"),
        ({"grade_band": None, "grades": None}, "teacher_guide", "school courses only"),
        ({"teacher_guide": "   "}, "teacher_guide", "non-empty text"),
    ],
)
def test_bad_grades_or_guide_are_refused_naming_the_key(catalog, tmp_path, change, key, message):
    data = school_package()
    for name, value in change.items():
        if value is None:
            data.pop(name, None)
            if name == "grade_band":
                data[name] = None
        else:
            data[name] = value
    before = snapshot()
    with pytest.raises(PackageError) as caught:
        import_packages([write_package(tmp_path, data)])
    assert caught.value.key == key and message in str(caught.value)
    assert f"key '{key}'" in str(caught.value) and caught.value.line
    assert snapshot() == before and not CoursePage.objects.filter(slug="guide-course").exists()


def test_guide_outside_the_markdown_subset_names_its_line(catalog, tmp_path):
    data = school_package(guide="## 教学目标\n\n```\ncode\n```\n")
    with pytest.raises(PackageError) as caught:
        import_packages([write_package(tmp_path, data)])
    assert caught.value.key == "teacher_guide" and caught.value.line


def test_a_unit_cannot_take_the_guides_slug(catalog, tmp_path):
    data = school_package()
    data["units"][0]["lesson"] = "teacher-guide"
    with pytest.raises(PackageError, match="reserved"):
        import_packages([write_package(tmp_path, data)])


def test_the_database_refuses_grades_outside_the_stage(catalog, tmp_path):
    course = import_school_course(tmp_path)
    for low, high, band in [(2, 1, "primary"), (1, 4, "junior"), (1, 2, "")]:
        with pytest.raises(IntegrityError), transaction.atomic():
            CoursePage.objects.filter(pk=course.pk).update(
                grade_min=low, grade_max=high, grade_band=band
            )


# --- who sees the guide -----------------------------------------------------------------


@pytest.fixture
def course(catalog, tmp_path):
    return import_school_course(tmp_path)


def guide_url(course):
    return f"{course.url}teacher-guide/"


def test_a_teacher_sees_the_link_and_the_guide(client, course):
    client.force_login(school_user(Role.TEACHER))
    page = client.get(course.url).content.decode()
    assert guide_url(course) in page
    response = client.get(guide_url(course))
    assert response.status_code == 200
    assert SECRET in response.content.decode() and "教学目标" in response.content.decode()
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_a_teacher_at_a_school_not_yet_verified_does_not_see_the_answers(client, course):
    teacher = make_user()
    school = make_organisation(
        kind=OrganisationKind.SCHOOL, credit_code=credit_code(), verified=False
    )
    add_member(school, teacher, role=Role.TEACHER)
    client.force_login(teacher)
    assert guide_url(course) not in client.get(course.url).content.decode()
    response = client.get(guide_url(course))
    assert response.status_code == 404 and SECRET not in response.content.decode()


def test_staff_see_the_guide(client, course):
    client.force_login(make_user(is_staff=True))
    assert client.get(guide_url(course)).status_code == 200


@pytest.mark.parametrize(
    "who", ["anonymous", "pupil", "enterprise learner", "enterprise manager", "no organisation"]
)
def test_others_get_no_link_and_not_found(client, course, who):
    if who == "pupil":
        client.force_login(school_user(Role.LEARNER))
    elif who.startswith("enterprise"):
        user = make_user()
        role = Role.MANAGER if who.endswith("manager") else Role.LEARNER
        add_member(make_organisation(), user, role=role)
        client.force_login(user)
    elif who == "no organisation":
        client.force_login(make_user())
    page = client.get(course.url)
    assert page.status_code == 200 and guide_url(course) not in page.content.decode()
    response = client.get(guide_url(course))
    assert response.status_code == 404 and SECRET not in response.content.decode()


def test_a_course_without_a_guide_has_none_to_show(client, catalog):
    client.force_login(school_user(Role.TEACHER))
    course = CoursePage.objects.get(slug="metrology-basics")
    assert guide_url(course) not in client.get(course.url).content.decode()
    assert client.get(guide_url(course)).status_code == 404


def test_the_page_cache_never_hands_the_guide_or_its_link_to_others(settings, course):
    settings.PAGE_CACHE_SECONDS = 300
    teacher, anonymous, pupil = Client(), Client(), Client()
    teacher.force_login(school_user(Role.TEACHER))
    pupil.force_login(school_user(Role.LEARNER))
    # An anonymous visit first: the 404 must not be kept for the teacher either.
    assert anonymous.get(guide_url(course)).status_code == 404
    assert teacher.get(course.url).status_code == 200
    assert teacher.get(guide_url(course)).status_code == 200
    for _ in range(2):  # the second visit would be the cache hit
        page = anonymous.get(course.url)
        assert page.status_code == 200 and guide_url(course) not in page.content.decode()
        guide = anonymous.get(guide_url(course))
        assert guide.status_code == 404 and SECRET not in guide.content.decode()
        assert guide.get("X-Cache") != "hit"
        assert pupil.get(guide_url(course)).status_code == 404
        assert guide_url(course) not in pupil.get(course.url).content.decode()
    assert anonymous.get(course.url)["X-Cache"] == "hit"


# --- grades on the catalog --------------------------------------------------------------


def test_catalog_card_and_course_page_show_the_grades(client, course, tmp_path):
    import_school_course(tmp_path, slug="one-grade", grades=(3, 3), band="primary")
    assert "小学1–2年级" in client.get(course.url).content.decode()
    catalog_page = client.get("/courses/?audience=school").content.decode()
    assert "小学1–2年级" in catalog_page and "小学3年级" in catalog_page


def test_the_editor_refuses_grades_outside_the_stage(client, course):
    from tests.cms.test_workflow import post_edit

    client.force_login(make_user(is_staff=True, is_superuser=True))
    response = post_edit(
        client,
        course,
        grade_min="5",
        grade_max="2",
        **{"teacher_guide-count": "0", "action-publish": "publish"},
    )
    assert response.status_code == 200
    assert "该学段的年级须在 1 到 6 之间" in response.content.decode()
    course.refresh_from_db()
    assert (course.grade_min, course.grade_max) == (1, 2)


def test_the_package_reader_and_the_database_agree_on_each_stages_grades():
    from courses.models.pages import GRADES_IN_BAND
    from courses.package import schema

    assert {band.value: grades for band, grades in GRADES_IN_BAND.items()} == schema.GRADES_IN_BAND


def test_a_pupils_course_page_asks_nothing_about_the_guide(client, course):
    """Whether to link the guide comes from the pupil's work roles, kept in the cache: no
    permission or membership query on the page pupils read most."""
    client.force_login(school_user(Role.LEARNER))
    client.get(course.url)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(course.url)
    assert page.status_code == 200 and guide_url(course) not in page.content.decode()
    asked = [q["sql"] for q in ctx.captured_queries]
    assert not any("auth_permission" in sql or "accounts_membership" in sql for sql in asked)
