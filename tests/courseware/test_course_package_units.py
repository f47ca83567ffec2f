"""SCORM and H5P units in course packages: import, re-import, export and the round trip, with
the real reference packages in tests/fixtures/interop (none of them written by this project)."""

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision

from courses.models import CoursePage
from courses.package.schema import PackageError
from courses.package.services import export_package, import_packages
from courseware import storage
from courseware.models import ContentPackage, H5PUnitPage, PackageKind, ScormUnitPage
from tests.courseware.helpers import GOLF_4TH, GOLF_12, TRUE_FALSE
from tests.factories import package_dict, write_package

pytestmark = pytest.mark.django_db

SCORM12, SCORM2004, H5P = GOLF_12, GOLF_4TH, TRUE_FALSE


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def courseware_package(tmp_path, slug="golf-course", **units):
    """A course of two lessons followed by the given archive units, written with copies of the
    reference archives beside its YAML (``name=(kind, source, extra keys)``)."""
    data = package_dict(slug=slug, lessons=2)
    for name, (kind, source, extra) in units.items():
        target = tmp_path / f"{name}{source.suffix}"
        shutil.copyfile(source, target)
        data["units"].append({kind: name, "title": f"互动课件 {name}", "package": target.name})
        data["units"][-1].update(extra)
    return write_package(tmp_path, data), data


def three_units(tmp_path, **kwargs):
    return courseware_package(
        tmp_path,
        golf12=("scorm", SCORM12, {"minutes": 25}),
        golf2004=("scorm", SCORM2004, {}),
        truefalse=("h5p", H5P, {"minutes": 2}),
        **kwargs,
    )


def state():
    """What an import may change: pages, revisions, packages and the files in the store."""
    stored = sorted(p.name for p in storage.root().iterdir()) if storage.root().is_dir() else []
    return (
        [name for name in stored if name != ".incoming"],
        Page.objects.count(),
        Revision.objects.count(),
        ContentPackage.objects.count(),
        sorted(Page.objects.values_list("slug", "live", "title")),
    )


def test_import_creates_scorm_and_h5p_units_from_the_archives(catalog, tmp_path):
    path, _ = three_units(tmp_path)
    assert import_packages([path])[0].status == "created"
    course = CoursePage.objects.get(slug="golf-course")
    children = list(Page.objects.child_of(course).order_by("path").specific())
    assert [c.slug for c in children] == ["lesson-1", "lesson-2", "golf12", "golf2004", "truefalse"]
    golf12, golf2004, truefalse = children[2:]
    assert isinstance(golf12, ScormUnitPage) and isinstance(truefalse, H5PUnitPage)
    assert all(page.live for page in children)
    assert (golf12.minutes, golf2004.minutes, truefalse.minutes) == (25, 10, 2)
    assert golf12.package.kind == PackageKind.SCORM_12
    assert golf2004.package.kind == PackageKind.SCORM_2004
    assert len(golf2004.package.manifest["scos"]) > 1
    assert truefalse.package.kind == PackageKind.H5P
    assert truefalse.package.manifest["main_library"] == "H5P.TrueFalse 1.6"
    assert golf12.package.sha256 == sha256(SCORM12)


def test_reimporting_the_same_package_is_unchanged(catalog, tmp_path):
    path, _ = three_units(tmp_path)
    import_packages([path])
    before = state()
    assert import_packages([path])[0].status == "unchanged"
    assert state() == before


def test_round_trip_gives_the_same_pages_and_byte_identical_archives(catalog, tmp_path):
    (tmp_path / "source").mkdir()
    source, _ = three_units(tmp_path / "source")
    import_packages([source])
    before = state()
    exported = tmp_path / "exported"
    exported.mkdir()
    call_command("export_course", "golf-course", "-o", str(exported / "golf-course.yaml"))
    units = yaml.safe_load((exported / "golf-course.yaml").read_text())["units"]
    assert units[2:] == [
        {"scorm": "golf12", "title": "互动课件 golf12", "minutes": 25, "package": "golf12.zip"},
        {
            "scorm": "golf2004",
            "title": "互动课件 golf2004",
            "minutes": 10,
            "package": "golf2004.zip",
        },
        {
            "h5p": "truefalse",
            "title": "互动课件 truefalse",
            "minutes": 2,
            "package": "truefalse.h5p",
        },
    ]
    for name, original in [
        ("golf12.zip", SCORM12),
        ("golf2004.zip", SCORM2004),
        ("truefalse.h5p", H5P),
    ]:
        assert (exported / name).read_bytes() == original.read_bytes(), name
    assert import_packages([exported])[0].status == "unchanged"
    assert state() == before
    again = tmp_path / "again"
    again.mkdir()
    text = export_package("golf-course", again)
    assert text == (exported / "golf-course.yaml").read_text()
    assert sorted(p.name for p in again.iterdir()) == [
        "golf12.zip",
        "golf2004.zip",
        "truefalse.h5p",
    ]
    for path in again.iterdir():
        assert path.read_bytes() == (exported / path.name).read_bytes()


def test_a_new_archive_is_a_new_revision_of_the_same_page(catalog, tmp_path):
    path, _ = courseware_package(tmp_path, golf=("scorm", SCORM12, {}))
    import_packages([path])
    page = ScormUnitPage.objects.get(slug="golf")
    revisions = page.revisions.count()
    shutil.copyfile(SCORM2004, tmp_path / "golf.zip")
    assert import_packages([path])[0].status == "updated"
    page.refresh_from_db()
    assert page.pk == ScormUnitPage.objects.get(slug="golf").pk and page.live
    assert page.package.kind == PackageKind.SCORM_2004
    assert page.revisions.count() == revisions + 1


def test_export_without_a_folder_for_the_archives_is_a_clear_error(catalog, tmp_path):
    path, _ = courseware_package(tmp_path, golf=("scorm", SCORM12, {}))
    import_packages([path])
    with pytest.raises(PackageError, match=r"unit 'golf'.*-o PATH"):
        export_package("golf-course")
    with pytest.raises(CommandError, match="-o PATH"):
        call_command("export_course", "golf-course")


def not_a_zip(tmp_path):
    (tmp_path / "golf.zip").write_bytes(b"%PDF-1.4 this is a PDF, not a SCORM package")


def h5p_without_libraries(tmp_path):
    import zipfile

    with zipfile.ZipFile(H5P) as source, zipfile.ZipFile(tmp_path / "golf.zip", "w") as target:
        for name in source.namelist():
            if not name.startswith("H5P.Question-1.4/"):
                target.writestr(name, source.read(name))


@pytest.mark.parametrize(
    "kind, breaks, expected",
    [
        ("scorm", not_a_zip, "golf.zip"),
        ("h5p", h5p_without_libraries, "H5P.Question"),
        ("scorm", lambda d: (d / "golf.zip").unlink(), "no such file 'golf.zip'"),
        ("scorm", lambda d: shutil.copyfile(H5P, d / "golf.zip"), "this is an H5P file"),
        ("h5p", lambda d: None, "this is a SCORM package"),
    ],
    ids=["not-a-zip", "h5p-missing-library", "missing-file", "h5p-as-scorm", "scorm-as-h5p"],
)
def test_a_refused_archive_stops_the_import_and_says_where(
    catalog, tmp_path, kind, breaks, expected
):
    data = package_dict(slug="golf-course", lessons=2)
    data["units"].append({kind: "golf", "title": "互动课件", "package": "golf.zip"})
    shutil.copyfile(SCORM12, tmp_path / "golf.zip")
    breaks(tmp_path)
    path = write_package(tmp_path, data)
    before = state()
    with pytest.raises(PackageError) as caught:
        import_packages([path])
    message = str(caught.value)
    assert str(path) in message and "unit 'golf'" in message and "key 'package'" in message
    assert "line " in message
    assert expected in message
    assert state() == before


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"package": "/etc/golf.zip"}, "relative to this file"),
        ({"package": None}, "relative to this file"),
        ({"minute": 5}, "unknown key 'minute'"),
        ({"minutes": 0}, "minutes must be a whole number from 1 to 600"),
    ],
)
def test_bad_unit_keys_are_refused_with_the_key_named(catalog, tmp_path, change, expected):
    path, data = courseware_package(tmp_path, golf=("scorm", SCORM12, {}))
    data["units"][-1].update(change)
    write_package(tmp_path, data)
    before = state()
    with pytest.raises(PackageError, match=expected):
        import_packages([path])
    assert state() == before


def test_unit_cannot_change_kind_from_lesson_to_scorm(catalog, tmp_path):
    import_packages([write_package(tmp_path, package_dict(slug="golf-course", lessons=2))])
    path, data = courseware_package(tmp_path, golf=("scorm", SCORM12, {}))
    data["units"][-1] = {"scorm": "lesson-2", "title": "互动课件", "package": "golf.zip"}
    data["units"].pop(1)
    write_package(tmp_path, data)
    before = state()
    with pytest.raises(PackageError, match="cannot change kind"):
        import_packages([path])
    assert state() == before
