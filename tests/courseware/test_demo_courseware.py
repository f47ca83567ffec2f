"""The demo catalog's SCORM and H5P units: built reproducibly from their sources, imported with
the catalog, in Chinese, with the libraries of the reference H5P package."""

import importlib.util
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.models import Page

from courses.models import CoursePage
from courseware.models import H5PUnitPage, PackageKind, ScormUnitPage
from tests.courseware.helpers import TRUE_FALSE

ROOT = Path(settings.BASE_DIR)
SOURCES = ROOT / "content" / "courseware-src"
PLACEHOLDERS = re.compile(r"lorem|ipsum|TODO|TBD|placeholder|此处填写|示例文本|待补充|XXX", re.I)


def build_script():
    spec = importlib.util.spec_from_file_location(
        "build_courseware", ROOT / "scripts" / "build_courseware.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_archives_are_exactly_what_the_sources_build():
    script = build_script()
    folders = script.sources()
    assert [f.name for f in folders] == ["legal-units", "standards-law-2017"]
    for folder in folders:
        fresh = script.build(folder)
        assert fresh == script.build(folder)  # no timestamps or ordering from the machine
        assert script.archive_path(folder).read_bytes() == fresh, folder.name
    assert script.main(["--check"]) == 0


def test_the_scorm_unit_is_scorm_12_in_chinese_on_legal_units():
    with zipfile.ZipFile(ROOT / "content" / "courses" / "legal-units.zip") as archive:
        manifest = archive.read("imsmanifest.xml").decode()
        page = archive.read("index.html").decode()
        script = archive.read("sco.js").decode()
    assert "http://www.imsproject.org/xsd/imscp_rootv1p1p2" in manifest
    assert 'adlcp:scormtype="sco"' in manifest and "<schemaversion>1.2</schemaversion>" in manifest
    for fact in [
        "《中华人民共和国计量法》",
        "1985年9月6日",
        "1986年7月1日",
        "国际单位制",
        "GB 3100-1993",
        "《国际单位制及其应用》",
    ]:
        assert fact in page, fact
    assert len(re.findall(r"[\u4e00-\u9fff]", page)) >= 500  # as a lesson body needs
    assert page.count("<fieldset>") == 3
    for call in ["LMSInitialize", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSFinish"]:
        assert f"api.{call}(" in script, call
    assert not PLACEHOLDERS.search(page + script)


def test_the_h5p_unit_carries_the_reference_libraries_at_their_versions():
    demo = zipfile.ZipFile(ROOT / "content" / "courses" / "standards-law-2017.h5p")
    reference = zipfile.ZipFile(TRUE_FALSE)
    h5p = json.loads(demo.read("h5p.json"))
    assert h5p["mainLibrary"] == "H5P.TrueFalse"
    assert (
        h5p["preloadedDependencies"]
        == json.loads(reference.read("h5p.json"))["preloadedDependencies"]
    )
    libraries = {n.split("/")[0] for n in demo.namelist() if n.endswith("/library.json")}
    assert "H5P.TrueFalse-1.6" in libraries and len(libraries) == 8
    for name in demo.namelist():
        if "/" in name and name.split("/")[0] in libraries:
            assert demo.read(name) == reference.read(name), name
    content = json.loads(demo.read("content/content.json"))
    assert content["correct"] == "true"
    for fact in ["《中华人民共和国标准化法》", "2017年11月4日", "2018年1月1日"]:
        assert fact in content["question"], fact
    assert (content["l10n"]["trueText"], content["l10n"]["falseText"]) == ("对", "错")
    assert not PLACEHOLDERS.search(json.dumps(content, ensure_ascii=False))


@pytest.mark.django_db
def test_the_demo_catalog_imports_both_units(catalog):
    metrology = CoursePage.objects.get(slug="metrology-basics")
    scorm = ScormUnitPage.objects.child_of(metrology).get(slug="legal-units")
    assert scorm.live and scorm.title == "互动课件：法定计量单位" and scorm.minutes == 15
    assert scorm.package.kind == PackageKind.SCORM_12
    assert [sco["href"].split("?")[0] for sco in scorm.package.manifest["scos"]] == ["index.html"]
    # It comes right after the lesson it practises.
    slugs = list(Page.objects.child_of(metrology).order_by("path").values_list("slug", flat=True))
    assert slugs[:2] == ["si-units", "legal-units"] and slugs[-1] == "final"

    standards = CoursePage.objects.get(slug="standardization-intro")
    h5p = H5PUnitPage.objects.child_of(standards).get(slug="standards-law-2017")
    assert h5p.live and h5p.package.kind == PackageKind.H5P
    assert h5p.package.manifest["main_library"] == "H5P.TrueFalse 1.6"
