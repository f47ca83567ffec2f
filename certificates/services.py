"""Issuing, revoking and reissuing certificates. Each write is one transaction and leaves an
event saying who did it."""

from datetime import date

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates import documents
from certificates.models import (
    Certificate,
    CertificateEvent,
    CertificateStatus,
    EventAction,
)


class CertificateError(Exception):
    pass


def site_branding():
    """The default site's branding (``SITE_BRANDING_MODEL``), or None without a default site."""
    from wagtail.models import Site

    Branding = apps.get_model(settings.SITE_BRANDING_MODEL)
    site = Site.objects.filter(is_default_site=True).first()
    return Branding.for_site(site) if site else None


def expiry_date(course, completed_on):
    years = course.certificate_validity_years
    if not years:
        return None
    try:
        return completed_on.replace(year=completed_on.year + years)
    except ValueError:  # 29 February
        return date(completed_on.year + years, 3, 1)


def _record(certificate, action, actor=None, note=""):
    CertificateEvent.objects.create(
        certificate=certificate,
        action=action,
        actor=actor,
        actor_name=(actor.get_username() if actor else ""),
        note=note[:300],
    )


def issue_for(enrolment, actor=None):
    """The enrolment's certificate, issued now if it has none: one per enrolment however
    often or concurrently this is called (the unique constraint settles a race)."""
    course = enrolment.course
    if not course.certificate or enrolment.completed_at is None:
        return None
    existing = Certificate.objects.current().filter(enrolment=enrolment).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            certificate = _create(enrolment, course)
    except IntegrityError:
        return Certificate.objects.current().get(enrolment=enrolment)
    _record(certificate, EventAction.ISSUED, actor)
    return certificate


def _create(enrolment, course, replaces=None):
    branding = site_branding()
    completed_on = timezone.localdate(enrolment.completed_at)
    certificate = Certificate.objects.create(
        user=enrolment.user,
        enrolment=enrolment,
        course=course,
        holder_name=enrolment.user.real_name or enrolment.user.get_username(),
        course_title=course.title,
        hours=course.hours,
        completed_on=completed_on,
        issued_at=timezone.now(),
        replaces=replaces,
        expires_on=expiry_date(course, completed_on),
        issuer_name=(branding.issuer_name or branding.platform_name) if branding else "质量学堂",
    )
    certificate.number = f"QA{certificate.issued_on:%Y}{certificate.pk:08d}"
    pdf = documents.pdf_bytes(certificate, branding)
    certificate.pdf_sha256 = documents.sha256(pdf)
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(pdf), save=False)
    certificate.credential = documents.signed_credential(certificate)
    certificate.save(update_fields=["number", "pdf", "pdf_sha256", "credential"])
    return certificate


@transaction.atomic
def revoke(certificate, reason, actor=None):
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("Give the reason for revoking the certificate."))
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status != CertificateStatus.VALID:
        raise CertificateError(_("Only a valid certificate can be revoked."))
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revocation_reason = reason[:300]
    certificate.save(update_fields=["status", "revoked_at", "revocation_reason"])
    _record(certificate, EventAction.REVOKED, actor, reason)
    return certificate


@transaction.atomic
def reissue(certificate, actor=None, note=""):
    """A new certificate for the same completion, with the holder's name as it is now; the old
    one then says it was replaced, and by which."""
    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if old.status == CertificateStatus.REPLACED:
        raise CertificateError(_("This certificate has already been replaced."))
    if old.enrolment is None or old.user is None or old.course is None:
        raise CertificateError(_("The holder or the course no longer exists."))
    # The old row leaves the "one in force" constraint before the new one enters it.
    old.status = CertificateStatus.REPLACED
    old.save(update_fields=["status"])
    new = _create(old.enrolment, old.course, replaces=old)
    _record(old, EventAction.REISSUED, actor, note or new.number)
    _record(new, EventAction.ISSUED, actor, note or old.number)
    return new


@transaction.atomic
def anonymise_for(user):
    """The holder is deleting their account: revoke, erase the name, keep number and hash
    (docs/privacy.md)."""
    now = timezone.now()
    reason = "持证人已注销账户 / the holder deleted their account"
    for certificate in Certificate.objects.select_for_update().filter(user=user):
        if certificate.status == CertificateStatus.VALID:
            certificate.status = CertificateStatus.REVOKED
            certificate.revoked_at = now
            certificate.revocation_reason = reason
            _record(certificate, EventAction.REVOKED, None, reason)
        certificate.holder_name = ""
        certificate.credential = ""
        if certificate.pdf:
            certificate.pdf.delete(save=False)
        certificate.save()
        _record(certificate, EventAction.ANONYMISED)
