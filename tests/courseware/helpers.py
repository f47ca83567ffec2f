"""Builders for the courseware tests: archives made byte by byte, units on a real course."""

import io
import json
import stat
import zipfile
from pathlib import Path

from courses.models import CoursePage
from courseware.models import H5PUnitPage, ScormUnitPage
from courseware.services import store_package
from tests.factories import make_course

INTEROP = Path("/work/shared/interop")
GOLF_12 = INTEROP / "scorm" / "golf-scorm12-single-sco.zip"
GOLF_BASIC = INTEROP / "scorm" / "golf-scorm2004-3rd-basic-runtime.zip"
GOLF_ADVANCED = INTEROP / "scorm" / "golf-scorm2004-3rd-advanced-runtime.zip"
GOLF_4TH = INTEROP / "scorm" / "golf-scorm2004-4th-sequencing.zip"
TRUE_FALSE = INTEROP / "h5p" / "true-false-hello-world.h5p"

MANIFEST_12 = """<?xml version="1.0"?>
<manifest identifier="qa.test" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org"><title>法定计量单位</title>
      <item identifier="sco-1" identifierref="r1"><title>第一页</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="{href}">
      <file href="index.html"/>
    </resource>
  </resources>
</manifest>
"""

PAGE = b"<!DOCTYPE html><html><head><title>t</title></head><body>\xe8\xae\xa1\xe9\x87\x8f</body></html>"


def zip_bytes(files, *, links=(), method=zipfile.ZIP_DEFLATED):
    """A zip of ``files`` (name -> bytes or str); ``links`` are (name, target) symlinks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        for name, target in links:
            info = zipfile.ZipInfo(name)
            info.create_system = 3
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return buffer.getvalue()


def scorm12_files(href="index.html", **extra):
    return {"imsmanifest.xml": MANIFEST_12.format(href=href), "index.html": PAGE, **extra}


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def h5p_files(with_libraries=True):
    """A small H5P file: the TrueFalse package's own h5p.json and content, with or without
    its library folders."""
    with zipfile.ZipFile(TRUE_FALSE) as archive:
        files = {
            name: archive.read(name)
            for name in archive.namelist()
            if not name.endswith("/")
            and (with_libraries or name.split("/", 1)[0] in ("content", "h5p.json"))
        }
    return files


def course(tmp_path, slug="courseware-course", lessons=1):
    return CoursePage.objects.get(slug=make_course(tmp_path, slug=slug, lessons=lessons).slug)


def add_scorm_unit(course_page, package_path, slug="scorm-unit", title="高尔夫入门（SCORM）"):
    package = store_package(package_path)
    unit = ScormUnitPage(title=title, slug=slug, package=package, minutes=15)
    course_page.add_child(instance=unit)
    unit.save_revision().publish()
    return unit


def add_h5p_unit(course_page, package_path=TRUE_FALSE, slug="h5p-unit", title="判断题（H5P）"):
    package = store_package(package_path)
    unit = H5PUnitPage(title=title, slug=slug, package=package)
    course_page.add_child(instance=unit)
    unit.save_revision().publish()
    return unit


def post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")
