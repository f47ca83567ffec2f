"""Serving a package's files to the learner who launched it.

Every response, 404s included, carries the sandbox policy: even a file opened directly in
a tab runs in an opaque origin, without the platform's cookies, storage or pages. The token
in the path authorises the request (a sandboxed document's requests carry no session), and
the enrolment is checked again on every request.
"""

import hashlib
import mimetypes
import re

from django.contrib.auth import get_user_model
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import http_date, parse_http_date_safe
from wagtail.models import Page

from courses.models import Enrolment
from courseware import storage
from courseware.frames import h5p_player_document, inject_scorm_runtime, scorm_state
from courseware.launch import PLAYER_DOCUMENT, read_file_token
from courseware.models.packages import PackageKind, PackageRecord
from courseware.parsing import safe_path

# allow-modals: SCOs ask with confirm() before resuming (Rustici's golf examples); without it
# confirm() returns false at once and a learner could never resume.
SANDBOX = "sandbox allow-scripts allow-forms allow-popups allow-modals"
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")

mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("application/json", ".json")
mimetypes.add_type("video/mp4", ".mp4")
mimetypes.add_type("image/svg+xml", ".svg")
mimetypes.add_type("font/woff2", ".woff2")


def content_headers(response):
    response["Content-Security-Policy"] = SANDBOX
    response["Access-Control-Allow-Origin"] = "*"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Content-Type-Options"] = "nosniff"
    # The project's own policy (django-csp) must not replace the sandbox one.
    response._csp_exempt = True
    response.xframe_options_exempt = True
    return response


def not_found():
    return content_headers(HttpResponse(status=404, content_type="text/plain"))


def _unit(unit_id):
    page = Page.objects.filter(pk=unit_id).first()
    if page is None:
        return None
    page = page.specific
    return page if hasattr(page, "package_kinds") else None


def authorised_user(unit, token):
    """The user the token was made for, when still enrolled in the unit's course (or, for a
    preview, allowed to edit the unit); else None."""
    user_id = read_file_token(token, unit.pk, unit.package.sha256)
    if user_id is None:
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    if unit.live and Enrolment.objects.filter(user=user).in_course_of(unit).exists():
        return user
    if unit.permissions_for_user(user).can_edit():
        return user
    return None


def serve(request, unit_id, token, path):
    unit = _unit(unit_id)
    relative = safe_path(path)
    if unit is None or relative is None or relative != path.replace("\\", "/").strip("/"):
        return not_found()
    user = authorised_user(unit, token)
    if user is None:
        return not_found()
    package = unit.package
    if package.kind == PackageKind.H5P and relative == PLAYER_DOCUMENT:
        record = PackageRecord.objects.filter(user=user, unit=unit).first()
        state = record.cmi.get("state") if record is not None else None
        return _document(h5p_player_document(request, package, state))
    file_path = storage.file_path(package.sha256, relative)
    if file_path is None:
        return not_found()
    if package.kind != PackageKind.H5P and relative.lower().endswith(HTML_SUFFIXES):
        record = PackageRecord.objects.filter(user=user, unit=unit).first()
        sco = request.GET.get("qa_sco") or (record.last_sco if record is not None else "")
        if sco not in {s["id"] for s in package.scos}:
            sco = package.scos[0]["id"]
        html = inject_scorm_runtime(
            request, file_path.read_bytes(), scorm_state(record, package, sco, user)
        )
        return _document(html, _content_type(relative))
    return serve_static_file(request, file_path, package.sha256, relative)


def _document(body, content_type="text/html; charset=utf-8"):
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return content_headers(response)


def _content_type(relative):
    content_type, encoding = mimetypes.guess_type(relative)
    if encoding or not content_type:
        return "application/octet-stream"
    return content_type


def _range(header, size):
    """(start, end) inclusive for a single byte range, "unsatisfiable", or None to send the
    whole file (no Range, several ranges, or one we do not understand)."""
    match = _RANGE.match(header.strip()) if header else None
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        length = int(last)
        if length == 0:
            return "unsatisfiable"
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return "unsatisfiable"
    return start, end


def _file_chunks(path, start, length):
    with open(path, "rb") as handle:
        handle.seek(start)
        while length > 0:
            chunk = handle.read(min(CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk


def serve_static_file(request, file_path, sha256, relative):
    stat = file_path.stat()
    size = stat.st_size
    # A package never changes once stored: its hash and the path name the bytes.
    etag = '"{}"'.format(hashlib.sha256(f"{sha256}/{relative}".encode()).hexdigest()[:32])
    modified = int(stat.st_mtime)
    if _not_modified(request, etag, modified):
        response = HttpResponse(status=304)
    else:
        wanted = request.headers.get("Range")
        if_range = request.headers.get("If-Range")
        if wanted and if_range and if_range != etag and parse_http_date_safe(if_range) != modified:
            wanted = None
        span = _range(wanted, size) if wanted else None
        if span == "unsatisfiable":
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
        elif span is None:
            response = StreamingHttpResponse(
                _file_chunks(file_path, 0, size), content_type=_content_type(relative)
            )
            response["Content-Length"] = str(size)
        else:
            start, end = span
            response = StreamingHttpResponse(
                _file_chunks(file_path, start, end - start + 1),
                status=206,
                content_type=_content_type(relative),
            )
            response["Content-Range"] = f"bytes {start}-{end}/{size}"
            response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = "private, max-age=3600"
    return content_headers(response)


def _not_modified(request, etag, modified):
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag in tags or "*" in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
    return since is not None and modified <= since
