import logging
import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import managed_organisation
from certificates import exports, signing
from certificates.forms import ExportForm, LookupForm, VerifyNameForm
from certificates.models import Certificate, CertificateExport
from serving.ratelimit import client_key, give_back, hit, take

CODE_PATTERN = re.compile(r"^[A-Z2-7]{32}$")
SHOWN = 200  # the rest are in the ZIP

logger = logging.getLogger(__name__)


def _lookup(code):
    """The certificate with this code, or None; a malformed code costs no query."""
    code = (code or "").strip().upper()
    if not CODE_PATTERN.match(code):
        return None
    return Certificate.objects.select_related("replacement").filter(code=code).first()


def _public_facts(certificate, name_shown):
    replacement = getattr(certificate, "replacement", None)
    return {
        "state": certificate.state,
        "number": certificate.number,
        "holder": certificate.holder_name if name_shown else certificate.masked_name,
        "holder_confirmed": name_shown,
        "course": certificate.course_title,
        "hours": str(certificate.hours),
        "completed_on": certificate.completed_on.isoformat(),
        "issued_on": certificate.issued_on.isoformat(),
        "expires_on": certificate.expires_on.isoformat() if certificate.expires_on else None,
        "issuer": certificate.issuer_name,
        "revoked_at": (
            timezone.localtime(certificate.revoked_at).isoformat()
            if certificate.revoked_at
            else None
        ),
        "revocation_reason": certificate.revocation_reason or None,
        "replaced_by": replacement.number if replacement else None,
        "replaced_by_url": (
            reverse("certificate_verify", args=[replacement.code]) if replacement else None
        ),
        "pdf_sha256": certificate.pdf_sha256,
    }


def _name_try(request, certificate):
    """Count a name check against this visitor: per certificate, and over all certificates.
    Not per certificate alone, or a stranger's guesses would use up the holder's tries."""
    address = client_key(request)
    return take(
        [
            (
                "verify-name",
                f"{certificate.pk}:{address}",
                settings.CERTIFICATE_NAME_TRIES,
                3600,
            ),
            ("verify-name-addr", address, settings.CERTIFICATE_NAME_TRIES_PER_ADDRESS, 3600),
        ]
    )


@require_GET
def verify_form(request):
    form = LookupForm(request.GET or None)
    if form.is_valid():
        return redirect("certificate_verify", code=form.cleaned_data["code"].strip().upper() or "-")
    return render(request, "certificates/verify_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def verify(request, code):
    wants_json = request.GET.get("format") == "json"
    if not hit("verify", client_key(request), settings.CERTIFICATE_VERIFY_RATE, 60):
        message = _("Too many look-ups from your address. Wait a minute and try again.")
        if wants_json:
            return JsonResponse({"state": "rate_limited", "message": message}, status=429)
        return render(request, "certificates/verify.html", {"limited": message}, status=429)
    certificate = _lookup(code[:64])
    if certificate is None:
        if wants_json:
            return JsonResponse({"state": "unknown"}, status=404)
        return render(request, "certificates/verify.html", {"unknown": True}, status=404)

    form = VerifyNameForm(request.POST or None)
    name_shown, name_wrong, name_limited = False, False, False
    if request.method == "POST" and form.is_valid():
        receipt = _name_try(request, certificate)
        if receipt is None:
            name_limited = True
        elif certificate.name_matches(form.cleaned_data["name"]):
            give_back(receipt)
            name_shown = True
        else:
            name_wrong = True
    facts = _public_facts(certificate, name_shown)
    if wants_json:
        return JsonResponse(facts)
    return render(
        request,
        "certificates/verify.html",
        {
            "certificate": certificate,
            "facts": facts,
            "form": form,
            "name_wrong": name_wrong,
            "name_limited": name_limited,
        },
    )


@login_required
@require_GET
def download_pdf(request, pk):
    certificate = get_object_or_404(Certificate.objects.visible_to(request.user), pk=pk)
    if not certificate.pdf:
        raise Http404
    try:
        pdf = certificate.pdf.open("rb")
    except FileNotFoundError:
        # The storage lost an issued PDF: the certificate itself stands (verification works),
        # and the administrators must hear of it to reissue one.
        logger.error("certificate %s: PDF %s missing", certificate.number, certificate.pdf.name)
        raise Http404 from None
    return FileResponse(
        pdf,
        as_attachment=True,
        filename=f"certificate-{certificate.number}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_GET
def download_credential(request, pk):
    certificate = get_object_or_404(Certificate.objects.visible_to(request.user), pk=pk)
    if not certificate.credential:
        raise Http404
    response = HttpResponse(certificate.credential, content_type="application/jwt")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.number}.jwt"'
    return response


@require_GET
@cache_control(public=True, max_age=3600)
def jwks(request):
    return JsonResponse(signing.key_set())


@login_required
@require_http_methods(["GET", "POST"])
def organisation_certificates(request):
    organisation = managed_organisation(request.user)
    form = ExportForm(request.POST if request.method == "POST" else (request.GET or None))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if request.method == "POST" and filters:
        export = exports.start(request.user, organisation=organisation, **filters)
        return redirect("certificate_export", pk=export.pk)
    selected = CertificateExport(organisation=organisation, **filters)
    certificates = exports.selection(selected).select_related("user")
    return render(
        request,
        "certificates/organisation_certificates.html",
        {
            "organisation": organisation,
            "form": form,
            "certificates": certificates.order_by("-issued_at")[:SHOWN],
            "total": certificates.count(),
            "shown": SHOWN,
            "exports_list": CertificateExport.objects.filter(requested_by=request.user)[:5],
        },
    )


def _own_export(request, pk):
    return get_object_or_404(CertificateExport, pk=pk, requested_by=request.user)


@login_required
@require_GET
def export_status(request, pk):
    return render(request, "certificates/export_status.html", {"export": _own_export(request, pk)})


@login_required
@require_GET
def export_download(request, pk):
    export = _own_export(request, pk)
    if not export.file:
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"certificates-{export.pk}.zip",
        content_type="application/zip",
    )
