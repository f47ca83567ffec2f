"""Launch tokens and what the player page needs to start the content.

A content file is requested from a sandboxed (opaque-origin) document without the session
cookie, so the token in its path is what authorises it: signed, naming learner, unit and
package, valid for FILE_TOKEN_MAX_AGE. The file view checks the enrolment again on every
request (courseware/files.py), so a learner who leaves the course loses access at once.
"""

from urllib.parse import quote

from django.core import signing
from django.middleware.csrf import get_token
from django.urls import reverse

from courseware.models.packages import PackageKind, PackageRecord

FILE_TOKEN_SALT = "courseware.file"
FILE_TOKEN_MAX_AGE = 12 * 60 * 60
PLAYER_DOCUMENT = "__player__.html"


def file_token(user_id, unit_id, sha256):
    return signing.dumps({"u": user_id, "p": unit_id, "h": sha256[:12]}, salt=FILE_TOKEN_SALT)


def read_file_token(token, unit_id, sha256):
    """The user id the token was made for, or None when it is not valid for this unit's
    package (tampered, expired, made for another unit or another package)."""
    try:
        data = signing.loads(token, salt=FILE_TOKEN_SALT, max_age=FILE_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("p") != unit_id or data.get("h") != sha256[:12]:
        return None
    user_id = data.get("u")
    return user_id if isinstance(user_id, int) else None


def file_url(unit, token, path):
    return reverse("courseware:file", kwargs={"unit_id": unit.pk, "token": token, "path": path})


def launch_urls(unit, user_id):
    """[{"id", "title", "url"}] of the package's SCOs (SCORM) or its player document (H5P)."""
    package = unit.package
    token = file_token(user_id, unit.pk, package.sha256)
    if package.kind == PackageKind.H5P:
        return [{"id": "", "title": unit.title, "url": file_url(unit, token, PLAYER_DOCUMENT)}]
    launches = []
    for sco in package.scos:
        # The path goes through reverse() alone: a "?" in it would be escaped as part of it.
        rest, _, fragment = sco["href"].partition("#")
        path, _, query = rest.partition("?")
        query = f"{query}&" if query else ""
        url = file_url(unit, token, path) + f"?{query}qa_sco={quote(sco['id'], safe='')}"
        launches.append(
            {
                "id": sco["id"],
                "title": sco["title"],
                "url": url + (f"#{fragment}" if fragment else ""),
            }
        )
    return launches


def player_context(request, unit, enrolment):
    """The player's data (rendered with json_script), or nothing for a visitor who may not
    play: not signed in, or neither enrolled nor an editor of the page (preview)."""
    user = request.user
    may_edit = user.is_authenticated and unit.permissions_for_user(user).can_edit()
    if enrolment is None and not may_edit:
        return {"player": None}
    get_token(request)  # the player's commits send the CSRF cookie back as a header
    record = PackageRecord.objects.filter(user=user, unit=unit).first()
    statuses = {}
    if record is not None:
        for sco_id, cmi in record.cmi.items():
            statuses[sco_id] = _sco_status(cmi)
    return {
        "player": {
            "kind": unit.package.kind,
            "commit_url": reverse("courseware:commit", kwargs={"unit_id": unit.pk}),
            "launches": launch_urls(unit, user.pk),
            "version": record.version if record is not None else 0,
            "completion": record.completion if record is not None else "not_attempted",
            "success": record.success if record is not None else "unknown",
            "score": record.score if record is not None else None,
            "last_sco": record.last_sco if record is not None else "",
            "sco_status": statuses,
            "preview": enrolment is None,
        },
        "package_record": record,
    }


def _sco_status(cmi):
    """ "completed" when a SCO's own data says so (1.2 or 2004), else ""."""
    if not isinstance(cmi, dict):
        return ""
    core = cmi.get("core") if isinstance(cmi.get("core"), dict) else {}
    if core.get("lesson_status") in ("completed", "passed"):
        return "completed"
    if cmi.get("completion_status") == "completed":
        return "completed"
    return ""
