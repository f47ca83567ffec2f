"""Pupil accounts for a class from a spreadsheet, and their login slips (classrooms/slips.py
says how the one-time passwords are kept for printing and when they are forgotten)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import require_verified
from accounts.batches import apply_batch, check_batch, store_upload
from accounts.forms import UploadForm
from accounts.models import ImportBatch, ImportKind
from classrooms import slips as login_slips
from classrooms.access import taught_classroom
from classrooms.imports import PupilImportForClass
from classrooms.models import ClassPupilImport
from serving.pdf import render_pdf


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, classroom_id):
    classroom = taught_classroom(request.user, classroom_id)
    if classroom.is_archived:
        messages.error(request, _("This class is archived; restore it to change it."))
        return redirect("classroom", classroom_id=classroom.pk)
    require_verified(classroom.school)
    form = UploadForm(request.POST or None, request.FILES or None, organisation=classroom.school)
    if request.method == "POST" and form.is_valid():
        batch = store_upload(
            classroom.school, ImportKind.PUPILS, request.user, form.cleaned_data["file"]
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
    require_verified(classroom.school)
    importer = PupilImportForClass(classroom)
    report = None
    if request.method == "POST" and not batch.applied_at:
        report, created = apply_batch(batch, importer)
        if created is not None:
            login_slips.keep(request, batch, created)
            return render(
                request,
                "classrooms/import_result.html",
                {
                    "classroom": classroom,
                    "batch": batch,
                    "report": report,
                    "created": created,
                    "slip_minutes": login_slips.SLIP_MINUTES,
                },
            )
        messages.error(request, _("Nothing was imported: the file has errors."))
    elif not batch.applied_at:
        report = check_batch(batch, importer)
    return render(
        request,
        "classrooms/import_preview.html",
        {"classroom": classroom, "batch": batch, "report": report},
    )


@login_required
def slips(request, classroom_id, batch_id):
    classroom = taught_classroom(request.user, classroom_id)
    batch = _own_batch(request, classroom, batch_id)
    created = login_slips.kept(request, batch)
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
    login_slips.forget(batch)
    messages.success(request, _("The one-time passwords have been forgotten."))
    return redirect("classroom", classroom_id=classroom.pk)
