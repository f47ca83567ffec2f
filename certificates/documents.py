"""What a certificate looks like: the PDF and the signed credential, both built from the
certificate record alone, so a reissue prints exactly what the record says."""

import base64
import hashlib
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from certificates import signing
from serving.pdf import render_pdf


def verify_url(certificate):
    return settings.WAGTAILADMIN_BASE_URL + reverse("certificate_verify", args=[certificate.code])


def seal_data_uri(branding):
    """The seal image from site settings, inlined so any storage backend works."""
    if branding is None or branding.seal is None:
        return ""
    try:
        rendition = branding.seal.get_rendition("max-400x400|format-png")
        with rendition.file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return ""  # a missing file leaves the seal out rather than the certificate
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def pdf_bytes(certificate, branding):
    url = verify_url(certificate)
    import segno  # only certificates and join sheets draw QR codes

    qr = segno.make(url, error="m").png_data_uri(scale=6, border=2)
    # Certificates are bilingual by design; the Chinese text leads whatever the request's
    # language, so the same document is printed for everyone.
    with translation.override("zh-hans"):
        return render_pdf(
            "certificates/certificate_pdf.html",
            {
                "certificate": certificate,
                "branding": branding,
                "verify_url": url,
                "qr_uri": qr,
                "seal_uri": seal_data_uri(branding),
                "name_size": _fit(certificate.holder_name, ((8, 30), (16, 24), (40, 18)), 14),
                "title_size": _fit(certificate.course_title, ((24, 20), (48, 16), (96, 13)), 11),
            },
        )


def _fit(text, steps, smallest):
    """A font size (pt) that keeps long names and titles inside the frame."""
    for longest, size in steps:
        if len(text) <= longest:
            return size
    return smallest


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def credential_claims(certificate):
    """An Open Badges 3.0 OpenBadgeCredential, in the claims of a JWT (OB 3.0, section 8.2)."""
    url = verify_url(certificate)
    issuer = {
        "id": settings.WAGTAILADMIN_BASE_URL + "/",
        "type": ["Profile"],
        "name": certificate.issuer_name,
        "url": settings.WAGTAILADMIN_BASE_URL + "/",
    }
    issued = certificate.issued_at.replace(microsecond=0)
    credential = {
        "@context": signing.OB3_CONTEXT,
        "id": url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"结业证书 · {certificate.course_title}",
        "issuer": issuer,
        "issuanceDate": issued.isoformat(),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.holder_name,
                }
            ],
            "activityEndDate": certificate.completed_on.isoformat() + "T00:00:00+08:00",
            "creditsEarned": float(certificate.hours),
            "achievement": {
                "id": url + "#achievement",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": certificate.course_title,
                "description": f"完成《{certificate.course_title}》全部课程学习并通过考核",
                "criteria": {"narrative": "完成全部课时并通过结业测验。"},
                "creator": issuer,
                "humanCode": certificate.number,
            },
        },
        "evidence": [
            {
                "id": url,
                "type": ["Evidence"],
                "name": "PDF",
                "description": f"SHA-256 {certificate.pdf_sha256}",
            }
        ],
    }
    claims = {
        "iss": issuer["id"],
        "jti": url,
        "nbf": int(issued.timestamp()),
        "iat": int(issued.timestamp()),
        "vc": credential,
    }
    if certificate.expires_on:
        credential["expirationDate"] = certificate.expires_on.isoformat() + "T23:59:59+08:00"
        claims["exp"] = int(datetime.fromisoformat(credential["expirationDate"]).timestamp())
    return claims


def signed_credential(certificate):
    return signing.sign(credential_claims(certificate), signing.current_kid())
