import pytest
import yaml
from django.core.management import CommandError, call_command
from wagtail.models import Revision

from courses.models import CoursePage, LessonPage
from courses.package.schema import PackageError
from courses.package.services import export_package, import_packages
from tests.conftest import CONTENT
from tests.factories import make_course, package_dict, write_package

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        CoursePage.objects.count(),
        LessonPage.objects.count(),
        Revision.objects.count(),
        sorted(LessonPage.objects.values_list("slug", "live", "title")),
    )


def test_import_creates_a_live_course_with_its_lessons_in_order(catalog, tmp_path):
    result = make_course(tmp_path, slug="scales", lessons=3)
    assert result.status == "created"
    course = CoursePage.objects.get(slug="scales")
    assert course.live and course.url_path.endswith("/courses/scales/")
    assert [lesson.slug for lesson in course.lessons] == ["lesson-1", "lesson-2", "lesson-3"]
    block_types = [block.block_type for block in course.lessons[0].body]
    assert block_types == ["heading", "paragraph", "callout"]
    assert {a.slug for a in course.audiences.all()} == {"frontline"}


def test_importing_an_export_changes_nothing_for_every_demo_course(catalog, tmp_path):
    for course in CoursePage.objects.all():
        path = tmp_path / f"{course.slug}.yaml"
        path.write_text(export_package(course.slug, tmp_path), encoding="utf-8")
    before = snapshot()
    results = import_packages([tmp_path])
    assert {r.status for r in results} == {"unchanged"}
    assert snapshot() == before
    for course in CoursePage.objects.all():
        assert (
            export_package(course.slug, tmp_path) == (tmp_path / f"{course.slug}.yaml").read_text()
        )


def test_reimporting_a_demo_package_is_unchanged(catalog):
    before = snapshot()
    results = import_packages([CONTENT])
    assert {r.status for r in results} == {"unchanged"}
    assert snapshot() == before


def test_changed_package_becomes_a_new_published_revision(catalog, tmp_path):
    make_course(tmp_path, slug="scales")
    lesson = LessonPage.objects.get(slug="lesson-2")
    revisions = lesson.revisions.count()
    data = package_dict(slug="scales")
    data["units"][1]["title"] = "第2课：砝码与天平"
    write_package(tmp_path, data)
    assert import_packages([tmp_path / "scales.yaml"])[0].status == "updated"
    lesson.refresh_from_db()
    assert lesson.title == "第2课：砝码与天平" and lesson.live
    assert lesson.revisions.count() == revisions + 1
    assert lesson.pk == LessonPage.objects.get(slug="lesson-2").pk


def test_removed_unit_is_unpublished_not_deleted_and_order_follows_package(catalog, tmp_path):
    make_course(tmp_path, slug="scales", lessons=3)
    data = package_dict(slug="scales", lessons=3)
    data["units"] = [data["units"][2], data["units"][0]]
    write_package(tmp_path, data)
    import_packages([tmp_path / "scales.yaml"])
    course = CoursePage.objects.get(slug="scales")
    assert [lesson.slug for lesson in course.lessons] == ["lesson-3", "lesson-1"]
    removed = LessonPage.objects.child_of(course).get(slug="lesson-2")
    assert removed.live is False


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.update(format="course-package/2"), "key 'format'"),
        (
            lambda d: d.update(audiences=["frontline", "astronauts"]),
            "unknown audience 'astronauts'",
        ),
        (lambda d: d.update(subjects=["alchemy"]), "unknown subject 'alchemy'"),
        (lambda d: d["units"][1].update(minutes=0), "unit 'lesson-2', key 'minutes'"),
        (lambda d: d["units"][1].update(lesson="lesson-1"), "unit 'lesson-1', key 'lesson'"),
        (lambda d: d["units"][0].update(colour="red"), "unit 'lesson-1', key 'colour'"),
        (
            lambda d: d["units"].append(
                {"quiz": "final", "title": "结业测验", "gift": "::a:: 题目 {=对 ~错"}
            ),
            "unit 'final', key 'gift'",
        ),
        (
            lambda d: d["units"].append(
                {"quiz": "final", "title": "结业测验", "draw": {"bank": "no-such-bank", "count": 3}}
            ),
            "question bank 'no-such-bank' does not exist",
        ),
        (
            lambda d: d["units"].append(
                {"quiz": "final", "title": "结业测验", "pass_mark": 120, "gift": "::a:: 题目 {T}"}
            ),
            "key 'pass_mark'",
        ),
        (lambda d: d.update(slug="Bad Slug"), "key 'slug'"),
        (lambda d: d.update(hours="many"), "key 'hours'"),
        (lambda d: d["units"][2].update(body="```\ncode\n```"), "unit 'lesson-3', key 'body'"),
    ],
)
def test_broken_package_changes_nothing_and_says_where(catalog, tmp_path, mutate, expected):
    good = write_package(tmp_path, package_dict(slug="a-good-one"))
    data = package_dict(slug="z-broken")
    mutate(data)
    broken = write_package(tmp_path, data, name="z-broken.yaml")
    before = snapshot()
    with pytest.raises(PackageError) as excinfo:
        import_packages([good, broken])
    message = str(excinfo.value)
    assert "z-broken.yaml" in message
    assert expected in message
    assert snapshot() == before


def test_yaml_syntax_error_names_the_line(catalog, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("format: course-package/1\nslug: x\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(PackageError, match=r"broken.yaml.*line \d"):
        import_packages([path])


def test_error_names_the_line_of_the_key(catalog, tmp_path):
    data = package_dict(slug="lines")
    data["units"][1]["minutes"] = -5
    path = write_package(tmp_path, data)
    lines = path.read_text().splitlines()
    expected = next(i for i, line in enumerate(lines, 1) if "minutes: -5" in line)
    with pytest.raises(PackageError, match=rf"line {expected}\b"):
        import_packages([path])


def test_import_command_reports_error_and_exits_non_zero(catalog, tmp_path):
    data = package_dict(slug="cmd", audiences=["nobody"])
    path = write_package(tmp_path, data)
    with pytest.raises(CommandError, match="unknown audience 'nobody'"):
        call_command("import_course", str(path))
    assert not CoursePage.objects.filter(slug="cmd").exists()


def test_export_command_writes_a_valid_package(catalog, tmp_path):
    out = tmp_path / "out.yaml"
    call_command("export_course", "metrology-basics", "-o", str(out))
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["format"] == "course-package/1"
    assert data["slug"] == "metrology-basics"
    assert len(data["units"]) >= 3


def test_export_unknown_course_is_a_clear_error(catalog):
    with pytest.raises(CommandError, match="no course with the slug 'nope'"):
        call_command("export_course", "nope")


def test_lesson_markup_is_rendered_safely(catalog, tmp_path, client):
    body = "危险的<script>alert(1)</script>内容，[链接](javascript:alert(1))。\n"
    make_course(tmp_path, slug="xss", body=body, lessons=1)
    html = client.get("/courses/xss/lesson-1/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
