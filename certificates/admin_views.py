"""Certificates in the Wagtail admin: find, inspect with history, revoke, reissue, export."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Organisation
from certificates import exports, services
from certificates.forms import ExportForm
from certificates.models import Certificate, CertificateStatus

can_manage = permission_required("certificates.change_certificate", raise_exception=True)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)


class ReissueForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("What was corrected"), max_length=300, required=False)


class AdminExportForm(ExportForm):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("All organisations"),
    )


@can_manage
def index(request):
    certificates = Certificate.objects.select_related("course")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        certificates = certificates.filter(
            Q(number__iexact=query)
            | Q(code__iexact=query)
            | Q(holder_name__icontains=query)
            | Q(course_title__icontains=query)
        )
    status = request.GET.get("status", "")
    if status in CertificateStatus.values:
        certificates = certificates.filter(status=status)
    page = Paginator(certificates, 50).get_page(request.GET.get("p"))
    return render(
        request,
        "certificates/admin/index.html",
        {"page": page, "query": query, "status": status, "statuses": CertificateStatus.choices},
    )


@can_manage
@require_http_methods(["GET"])
def detail(request, pk):
    certificate = get_object_or_404(
        Certificate.objects.select_related("replacement", "replaces", "user"), pk=pk
    )
    return render(
        request,
        "certificates/admin/detail.html",
        {
            "certificate": certificate,
            "events": certificate.events.select_related("actor"),
            "revoke_form": RevokeForm(),
            "reissue_form": ReissueForm(),
        },
    )


@can_manage
@require_POST
def revoke(request, pk):
    certificate = get_object_or_404(Certificate, pk=pk)
    form = RevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise services.CertificateError(_("Give the reason for revoking the certificate."))
        services.revoke(certificate, form.cleaned_data["reason"], actor=request.user)
    except services.CertificateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The certificate was revoked."))
    return redirect("certificates_admin:detail", pk=pk)


@can_manage
@require_POST
def reissue(request, pk):
    certificate = get_object_or_404(Certificate, pk=pk)
    form = ReissueForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        new = services.reissue(certificate, actor=request.user, note=note)
    except services.CertificateError as exc:
        messages.error(request, str(exc))
        return redirect("certificates_admin:detail", pk=pk)
    messages.success(request, _("A corrected certificate was issued: %s") % new.number)
    return redirect("certificates_admin:detail", pk=new.pk)


@can_manage
@require_http_methods(["GET", "POST"])
def export(request):
    form = AdminExportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        started = exports.start(request.user, **form.cleaned_data)
        return redirect("certificate_export", pk=started.pk)
    return render(request, "certificates/admin/export.html", {"form": form})
