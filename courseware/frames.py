"""The documents that run inside the sandboxed content frame: SCORM pages with the run-time
injected, and the H5P wrapper document. Static files are named here, in one place, as the
vendored builds are named under static/courseware/ (docs/courseware.md)."""

import json
import re

from django.templatetags.static import static
from django.utils.html import escape

from courseware.models.packages import PackageKind

SCORM_RUNTIME = {
    "1.2": "courseware/vendor/scorm-again/scorm12.min.js",
    "2004": "courseware/vendor/scorm-again/scorm2004.min.js",
}
SCORM_BRIDGE = "courseware/scorm-frame.js"
H5P_PLAYER = "courseware/vendor/h5p-standalone/main.bundle.js"
H5P_FRAME_DIR = "courseware/vendor/h5p-standalone/"
H5P_BRIDGE = "courseware/h5p-frame.js"

_HEAD = re.compile(rb"<head(?:\s[^>]*)?>", re.IGNORECASE)
_DOCTYPE = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*<!doctype[^>]*>", re.IGNORECASE)


def script_json(data):
    """JSON safe inside a <script> element (as Django's json_script escapes it)."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")


def absolute_static(request, name):
    # The document's origin is opaque: a relative URL would still resolve against the
    # document's URL, but an absolute one keeps working from any nested page of the package.
    return request.build_absolute_uri(static(name))


def scorm_state(record, package, sco_id, user):
    version = "1.2" if package.kind == PackageKind.SCORM_12 else "2004"
    cmi = {}
    if record is not None and isinstance(record.cmi.get(sco_id), dict):
        cmi = record.cmi[sco_id]
    return {
        "version": version,
        "sco": sco_id,
        "cmi": cmi,
        "learner": {"id": str(user.pk), "name": user.get_full_name() or user.get_username()},
    }


def inject_scorm_runtime(request, html, state):
    """The HTML with the run-time state and scripts right after <head>, or after the
    doctype (at the start when there is none), so the page's own scripts find
    window.API / window.API_1484_11 on their own window."""
    block = (
        '<script type="application/json" id="qa-scorm-state">'
        + script_json(state)
        + "</script>"
        + f'<script src="{escape(absolute_static(request, SCORM_RUNTIME[state["version"]]))}">'
        + "</script>"
        + f'<script src="{escape(absolute_static(request, SCORM_BRIDGE))}"></script>'
    ).encode("ascii")
    match = _HEAD.search(html) or _DOCTYPE.search(html)
    at = match.end() if match else 0
    return html[:at] + block + html[at:]


def h5p_player_document(request, package, state):
    """The wrapper page that plays an H5P package with h5p-standalone. Its URLs for the
    package are relative: they keep the token path this document was served from."""
    config = {
        "h5pJsonPath": ".",
        "contentJsonPath": "content",
        "librariesPath": ".",
        "frameJs": absolute_static(request, H5P_FRAME_DIR + "frame.bundle.js"),
        "frameCss": absolute_static(request, H5P_FRAME_DIR + "styles/h5p.css"),
        "state": state,
        "title": package.title,
    }
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-hans"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(package.title)}</title>"
        f'<link rel="stylesheet" href="{escape(config["frameCss"])}">'
        '<script type="application/json" id="qa-h5p-config">' + script_json(config) + "</script>"
        f'<script src="{escape(absolute_static(request, H5P_PLAYER))}"></script>'
        f'<script src="{escape(absolute_static(request, H5P_BRIDGE))}"></script>'
        '</head><body><div id="h5p-container"></div></body></html>\n'
    ).encode("utf-8")
