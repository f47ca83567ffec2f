"""Build the demo catalog's SCORM and H5P archives from their sources, byte for byte the same
every time: build_courseware.py [--check]

Each folder in content/courseware-src/ (but h5p-libraries/) is one package; its archive is
written to content/courses/<folder>.zip (SCORM: the folder holds imsmanifest.xml) or
content/courses/<folder>.h5p (H5P: the folder holds h5p.json; the libraries it preloads, and
theirs in turn, come from content/courseware-src/h5p-libraries/). The course package YAML names
the archive (`package: <folder>.zip`), which is where `export_course` writes it back.

Reproducible: entries sorted by path, one fixed timestamp, fixed permissions, no directory
entries and no extra fields, so a package's SHA-256 (its identity on the site) changes only when
its content does. `--check` exits 1 if a committed archive differs from a fresh build.
"""

import io
import json
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "content" / "courseware-src"
LIBRARIES = SOURCES / "h5p-libraries"
OUTPUT = ROOT / "content" / "courses"
# The earliest time a zip can hold; any fixed value would do.
TIMESTAMP = (1980, 1, 1, 0, 0, 0)


def _library_dir(machine_name, major, minor):
    return LIBRARIES / f"{machine_name}-{major}.{minor}"


def _h5p_libraries(folder):
    """The library folders an H5P package needs: h5p.json's preloads and theirs, recursively."""
    wanted = json.loads((folder / "h5p.json").read_text(encoding="utf-8"))
    queue = list(wanted["preloadedDependencies"])
    found = {}
    while queue:
        dep = queue.pop()
        path = _library_dir(dep["machineName"], dep["majorVersion"], dep["minorVersion"])
        if path.name in found:
            continue
        if not (path / "library.json").is_file():
            raise SystemExit(f"{folder.name}: library {path.name} is not in {LIBRARIES}")
        found[path.name] = path
        library = json.loads((path / "library.json").read_text(encoding="utf-8"))
        queue += library.get("preloadedDependencies", [])
    return found


def package_files(folder):
    """(path in archive, file on disk) for every file of the package, sorted by archive path."""
    files = {}
    for path in folder.rglob("*"):
        if path.is_file():
            files[path.relative_to(folder).as_posix()] = path
    if (folder / "h5p.json").is_file():
        for name, library in _h5p_libraries(folder).items():
            for path in library.rglob("*"):
                if path.is_file():
                    files[f"{name}/{path.relative_to(library).as_posix()}"] = path
    return sorted(files.items())


def build(folder):
    """The archive's bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, path in package_files(folder):
            info = zipfile.ZipInfo(name, date_time=TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever machine builds it
            info.external_attr = 0o100644 << 16
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    return buffer.getvalue()


def archive_path(folder):
    suffix = ".h5p" if (folder / "h5p.json").is_file() else ".zip"
    return OUTPUT / f"{folder.name}{suffix}"


def sources():
    return sorted(p for p in SOURCES.iterdir() if p.is_dir() and p != LIBRARIES)


def main(argv):
    check = "--check" in argv
    stale = []
    for folder in sources():
        data, target = build(folder), archive_path(folder)
        if check:
            if not target.is_file() or target.read_bytes() != data:
                stale.append(target.relative_to(ROOT))
            continue
        target.write_bytes(data)
        print(f"{target.relative_to(ROOT)}  {len(data)} bytes")
    if stale:
        print("out of date (run scripts/build_courseware.py):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
