"""Pupil accounts for a class from a spreadsheet, and their login slips.

The initial passwords exist only in the response that creates them. So that the teacher can
print the slips (a second request), they are kept in the teacher's own server-side session
for SLIP_MINUTES and then forgotten; they are never written to the database in clear. Each
pupil must choose a new password at the first sign-in, which makes a slip useless after.
"""

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import UploadForm
from accounts.models import ImportBatch, ImportKind
from classrooms.access import taught_classroom
from classrooms.imports import PupilImportForClass
from classrooms.models import ClassPupilImport
from cms.pdf import render_pdf

SLIP_MINUTES = 60
SESSION_KEY = "class_login_slips"


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, classroom_id):
    classroom = taught_classroom(request.user, classroom_id)
    if classroom.is_archived:
        messages.error(request, _("This class is archived; restore it to change it."))
        return redirect("classroom", classroom_id=classroom.pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        batch = ImportBatch.objects.create(
            organisation=classroom.school,
            kind=ImportKind.PUPILS,
            uploaded_by=request.user,
            filename=file.name,
            content=file.read(),
        )
        ClassPupilImport.objects.create(batch=batch, classroom=classroom)
        return redirect("classroom_import", classroom_id=classroom.pk, batch_id=batch.pk)
    return render(request, "classrooms/import_upload.html", {"classroom": classroom, "form": form})


def _own_batch(request, classroom, batch_id):
    return get_object_or_404(
        ImportBatch,
        pk=batch_id,
        uploaded_by=request.user,
        classroom_link__classroom=classroom,
    )


@login_required
@require_http_methods(["GET", "POST"])
def preview(request, classroom_id, batch_id):
    classroom = taught_classroom(request.user, classroom_id)
    batch = _own_batch(request, classroom, batch_id)
    importer = PupilImportForClass(classroom)
    report = None
    if request.method == "POST" and not batch.applied_at:
        report, created = importer.apply(batch.filename, bytes(batch.content))
        if created is not None:
            ImportBatch.objects.filter(pk=batch.pk).update(applied_at=timezone.now(), content=b"")
            _keep_slips(request, batch, created)
            return render(
                request,
                "classrooms/import_result.html",
                {
                    "classroom": classroom,
                    "batch": batch,
                    "report": report,
                    "created": created,
                    "slip_minutes": SLIP_MINUTES,
                },
            )
        messages.error(request, _("Nothing was imported: the file has errors."))
    elif not batch.applied_at:
        report = importer.check(batch.filename, bytes(batch.content))
    return render(
        request,
        "classrooms/import_preview.html",
        {"classroom": classroom, "batch": batch, "report": report},
    )


def _keep_slips(request, batch, created):
    slips = {
        key: value
        for key, value in request.session.get(SESSION_KEY, {}).items()
        if value["expires"] > time.time()
    }
    slips[str(batch.pk)] = {"expires": time.time() + SLIP_MINUTES * 60, "created": created}
    request.session[SESSION_KEY] = slips


def _slips(request, batch):
    kept = request.session.get(SESSION_KEY, {}).get(str(batch.pk))
    if kept is None or kept["expires"] <= time.time():
        return None
    return kept["created"]


@login_required
def slips(request, classroom_id, batch_id):
    classroom = taught_classroom(request.user, classroom_id)
    batch = _own_batch(request, classroom, batch_id)
    created = _slips(request, batch)
    if created is None:
        return render(request, "classrooms/slips_gone.html", {"classroom": classroom}, status=410)
    pdf = render_pdf(
        "classrooms/login_slips.html",
        {"classroom": classroom, "created": created, "site_url": request.build_absolute_uri("/")},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="login-slips-{batch.pk}.pdf"'
    return response


@login_required
@require_POST
def forget_slips(request, classroom_id, batch_id):
    classroom = taught_classroom(request.user, classroom_id)
    batch = _own_batch(request, classroom, batch_id)
    slips = request.session.get(SESSION_KEY, {})
    slips.pop(str(batch.pk), None)
    request.session[SESSION_KEY] = slips
    messages.success(request, _("The one-time passwords have been forgotten."))
    return redirect("classroom", classroom_id=classroom.pk)
