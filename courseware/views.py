"""The content frame's files and the commits of the run-time data (courseware/files.py and
courseware/commits.py hold the work)."""

import json

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_POST, require_safe

from courseware import commits, files

MAX_COMMIT_BYTES = 1024 * 1024


@xframe_options_exempt
@require_safe
def package_file(request, unit_id, token, path):
    return files.serve(request, unit_id, token, path)


@require_POST
def commit(request, unit_id):
    if len(request.body) > MAX_COMMIT_BYTES:
        return JsonResponse(
            {"error": "too_large", "message": _("The data is too large.")}, status=400
        )
    try:
        payload = json.loads(request.body)
    except ValueError:
        return JsonResponse(
            {"error": "malformed", "message": _("The data could not be read (not JSON).")},
            status=400,
        )
    status, body = commits.apply_commit(request.user, unit_id, payload)
    return JsonResponse(body, status=status)
