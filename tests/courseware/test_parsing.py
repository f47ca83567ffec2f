"""Reading real packages, and refusing each kind of bad archive with a message that names
the problem, leaving no row and no file behind."""

import os
import zipfile

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation

from courseware.models import ContentPackage, PackageKind
from courseware.services import store_package
from tests.courseware.helpers import (
    GOLF_4TH,
    GOLF_12,
    GOLF_ADVANCED,
    GOLF_BASIC,
    MANIFEST_12,
    PAGE,
    TRUE_FALSE,
    h5p_files,
    scorm12_files,
    write,
    zip_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in English (the site's default language is Chinese)."""
    with translation.override("en"):
        yield


def stored_files():
    root = settings.COURSEWARE_ROOT
    if not os.path.isdir(root):
        return set()
    found = set()
    for folder, _, names in os.walk(root):
        found |= {os.path.join(folder, name) for name in names}
    return found


@pytest.mark.parametrize(
    ("path", "kind", "version", "edition", "title"),
    [
        (GOLF_12, PackageKind.SCORM_12, "1.2", None, "Golf Explained - CP Single SCO"),
        (
            GOLF_BASIC,
            PackageKind.SCORM_2004,
            "2004",
            "3rd",
            "Golf Explained - Run-time Basic Calls",
        ),
        (
            GOLF_ADVANCED,
            PackageKind.SCORM_2004,
            "2004",
            "3rd",
            "Golf Explained - Run-time Advanced Calls",
        ),
    ],
)
def test_the_single_sco_golf_examples_parse(path, kind, version, edition, title):
    package = store_package(path)
    assert package.kind == kind
    assert package.manifest["version"] == version
    assert package.manifest["edition"] == edition
    assert package.manifest["title"] == title
    assert package.manifest["scos"] == [
        {"id": "item_1", "title": "Golf Explained", "href": "shared/launchpage.html"}
    ]
    root = settings.COURSEWARE_ROOT
    assert (root / package.sha256 / "shared" / "launchpage.html").is_file()
    assert (root / f"{package.sha256}.zip").read_bytes() == path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        assert package.file_count == len([n for n in archive.namelist() if not n.endswith("/")])


def test_the_4th_edition_example_has_its_five_scos_in_the_organisations_order():
    package = store_package(GOLF_4TH)
    assert package.manifest["edition"] == "4th" and package.manifest["sequencing"]
    assert [(s["id"], s["title"], s["href"]) for s in package.manifest["scos"]] == [
        ("playing_item", "Playing the Game", "shared/launchpage.html?content=playing"),
        ("etuqiette_item", "Etiquette", "shared/launchpage.html?content=etiquette"),
        ("handicapping_item", "Handicapping", "shared/launchpage.html?content=handicapping"),
        ("havingfun_item", "Having Fun", "shared/launchpage.html?content=havingfun"),
        ("assessment_item", "Quiz", "shared/launchpage.html?content=assessment"),
    ]


def test_the_h5p_true_false_package_parses_with_its_libraries():
    package = store_package(TRUE_FALSE)
    assert package.kind == PackageKind.H5P
    assert package.manifest["main_library"] == "H5P.TrueFalse 1.6"
    assert "H5P.Question-1.4" in package.manifest["preloaded"]
    with zipfile.ZipFile(TRUE_FALSE) as archive:
        files = [n for n in archive.namelist() if not n.endswith("/")]
    assert package.file_count == len(files)
    assert (
        settings.COURSEWARE_ROOT / package.sha256 / "H5P.TrueFalse-1.6" / "library.json"
    ).is_file()


def test_the_same_file_twice_is_one_package(tmp_path):
    first = store_package(GOLF_12)
    second = store_package(write(tmp_path, "copy.zip", GOLF_12.read_bytes()))
    assert first.pk == second.pk and ContentPackage.objects.count() == 1


def test_nested_items_xml_base_and_item_parameters(tmp_path):
    manifest = """<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 3rd Edition</schemaversion></metadata>
  <organizations default="b">
    <organization identifier="a"><title>不是默认</title>
      <item identifier="x" identifierref="r1"><title>X</title></item></organization>
    <organization identifier="b"><title>默认组织</title>
      <item identifier="chapter"><title>第一章</title>
        <item identifier="one" identifierref="r1" parameters="?page=1"><title>一</title></item>
        <item identifier="two" identifierref="r2" parameters="lang=zh"><title>二</title></item>
      </item>
      <item identifier="three" identifierref="r1"><title>三</title></item>
    </organization>
  </organizations>
  <resources xml:base="content/">
    <resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="a.html?x=1"/>
    <resource identifier="r2" type="webcontent" adlcp:scormType="sco" xml:base="sub/"
      href="b.html"/>
  </resources>
</manifest>"""
    data = zip_bytes(
        {"imsmanifest.xml": manifest, "content/a.html": PAGE, "content/sub/b.html": PAGE}
    )
    package = store_package(write(tmp_path, "nested.zip", data))
    assert package.manifest["title"] == "默认组织"
    assert [(s["id"], s["href"]) for s in package.manifest["scos"]] == [
        ("one", "content/a.html?x=1&page=1"),
        ("two", "content/sub/b.html?lang=zh"),
        ("three", "content/a.html?x=1"),
    ]


def bomb():
    # 60 MB of zeros deflate to about 60 KB: a thousand times, where real packages expand
    # a few times.
    return zip_bytes({**scorm12_files(), "video.bin": b"\0" * (60 * 1024 * 1024)})


BAD_ARCHIVES = {
    "not a zip": (lambda: "这不是压缩文件".encode() * 100, "not a zip archive"),
    "no manifest": (lambda: zip_bytes({"index.html": PAGE}), "neither imsmanifest.xml"),
    "launch file missing": (
        lambda: zip_bytes({"imsmanifest.xml": MANIFEST_12.format(href="start.html")}),
        "“start.html” named in imsmanifest.xml is not in the archive",
    ),
    "dot dot": (
        lambda: zip_bytes(scorm12_files(**{"../../etc/evil.html": PAGE})),
        "unsafe path: “../../etc/evil.html”",
    ),
    "absolute": (
        lambda: zip_bytes(scorm12_files(**{"/tmp/evil.html": PAGE})),
        "unsafe path: “/tmp/evil.html”",
    ),
    "symlink": (
        lambda: zip_bytes(scorm12_files(), links=[("passwd", "/etc/passwd")]),
        "holds a link, which is not accepted: “passwd”",
    ),
    "too many files": (
        lambda: zip_bytes(scorm12_files(**{f"f{i}.txt": "x" for i in range(30)})),
        "holds 32 files; at most 20 are accepted",
    ),
    "zip bomb": (bomb, "looks like a zip bomb"),
    "broken manifest": (
        lambda: zip_bytes({"imsmanifest.xml": "<manifest><organizations>", "a.html": PAGE}),
        "imsmanifest.xml cannot be read",
    ),
    "xml entities": (
        lambda: zip_bytes(
            {
                "imsmanifest.xml": '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY e "x">]>'
                "<manifest>&e;</manifest>",
                "a.html": PAGE,
            }
        ),
        "imsmanifest.xml cannot be read",
    ),
    "h5p without libraries": (
        lambda: zip_bytes(h5p_files(with_libraries=False)),
        "lacks these libraries: H5P.TrueFalse-1.6",
    ),
    "h5p without content": (
        lambda: zip_bytes({k: v for k, v in h5p_files().items() if k != "content/content.json"}),
        "no content/content.json",
    ),
}


@pytest.mark.parametrize("case", list(BAD_ARCHIVES))
def test_a_bad_archive_is_refused_with_its_problem_named_and_nothing_kept(case, tmp_path):
    make, message = BAD_ARCHIVES[case]
    before = stored_files()
    limit = 20 if case == "too many files" else 5000
    with override_settings(COURSEWARE_MAX_FILES=limit), pytest.raises(ValidationError) as refused:
        store_package(write(tmp_path, "bad.zip", make()))
    assert message in refused.value.messages[0], refused.value.messages
    assert ContentPackage.objects.count() == 0
    assert stored_files() == before


def test_the_zip_bomb_is_refused_by_its_unpacked_size_too(tmp_path):
    with (
        override_settings(COURSEWARE_MAX_RATIO=100000, COURSEWARE_MAX_UNPACKED_BYTES=10**7),
        pytest.raises(ValidationError) as refused,
    ):
        store_package(write(tmp_path, "bomb.zip", bomb()))
    assert "at most 9.5 MB is accepted" in refused.value.messages[0]
    assert ContentPackage.objects.count() == 0
