"""The vendored players are exactly the published files LICENCES.md names, and nothing else."""

import hashlib
import re
from pathlib import Path

from django.conf import settings

VENDOR = Path(settings.BASE_DIR) / "static" / "courseware" / "vendor"
ROW = re.compile(r"^\| `([^`]+)` \| `([0-9a-f]{64})` \|$", re.MULTILINE)


def listed():
    return dict(ROW.findall((VENDOR / "LICENCES.md").read_text(encoding="utf-8")))


def test_every_listed_file_has_the_recorded_sha256():
    rows = listed()
    assert "scorm-again/scorm12.min.js" in rows
    assert "h5p-standalone/frame.bundle.js" in rows
    wrong = {
        name: digest
        for name, digest in rows.items()
        if hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() != digest
    }
    assert wrong == {}


def test_every_vendored_file_is_listed():
    on_disk = {
        path.relative_to(VENDOR).as_posix()
        for path in VENDOR.rglob("*")
        if path.is_file() and path.name != "LICENCES.md"
    }
    assert on_disk == set(listed())


def test_licences_and_versions_are_recorded():
    text = (VENDOR / "LICENCES.md").read_text(encoding="utf-8")
    for name in ("scorm-again", "h5p-standalone"):
        version = (VENDOR / name / "VERSION").read_text().strip()
        assert f"## {name} {version}" in text
        assert f"https://registry.npmjs.org/{name}/-/{name}-{version}.tgz" in text
        assert "MIT" in (VENDOR / name / "LICENSE").read_text()
    assert "GPL-3.0" in text
