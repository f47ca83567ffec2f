"""Where packages live: COURSEWARE_ROOT/<sha256>/<path> unpacked, COURSEWARE_ROOT/<sha256>.zip
the archive as uploaded (export writes it back unchanged). The folder is private: no URL of
MEDIA_URL reaches it; files go out only through the token-checked view (courseware/files.py).
"""

from pathlib import Path

from django.conf import settings


def root():
    return Path(settings.COURSEWARE_ROOT)


def package_dir(sha256):
    return root() / sha256


def archive_path(sha256):
    return root() / f"{sha256}.zip"


def incoming_dir():
    path = root() / ".incoming"
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_path(sha256, relative):
    """The file of a package at ``relative``, or None when it is not a file inside it."""
    base = package_dir(sha256).resolve()
    try:
        path = (base / relative).resolve()
    except (OSError, ValueError):
        return None
    if base not in path.parents or not path.is_file():
        return None
    return path
