import json

import jwt
import pytest
from django.test import override_settings
from django.urls import reverse

from certificates import documents, services, signing
from certificates.models import Certificate, mask_name
from tests.accounts.factories import make_user
from tests.certificates.helpers import finish, lessons_course


@pytest.fixture
def certificate(db, tmp_path):
    finish(make_user(real_name="张小三"), lessons_course(tmp_path))
    return Certificate.objects.get()


def verify_url(code):
    return reverse("certificate_verify", args=[code])


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张小三", "张*三"), ("张三", "张*"), ("欧阳堃喆", "欧**喆"), ("李", "*"), ("", "")],
)
def test_names_are_masked(name, masked):
    assert mask_name(name) == masked


def test_anyone_sees_a_valid_certificate_with_the_name_masked(client, certificate):
    response = client.get(verify_url(certificate.code))
    page = response.content.decode()
    assert response.status_code == 200
    assert "有效证书" in page or "Valid certificate" in page
    assert "张*三" in page and "张小三" not in page
    assert certificate.course_title in page and certificate.number in page
    assert certificate.pdf_sha256 in page


def test_typing_the_full_name_reveals_it_and_a_wrong_one_does_not(client, certificate):
    wrong = client.post(verify_url(certificate.code), {"name": "李四"}).content.decode()
    assert "张小三" not in wrong and "张*三" in wrong
    right = client.post(verify_url(certificate.code), {"name": " 张 小三 "})
    assert right.context["facts"]["holder"] == "张小三"
    assert "张小三" in right.content.decode()


@override_settings(CERTIFICATE_NAME_TRIES=3)
def test_guessing_names_is_limited_per_certificate(client, certificate):
    for guess in ("王五", "赵六", "钱七"):
        client.post(verify_url(certificate.code), {"name": guess})
    response = client.post(verify_url(certificate.code), {"name": "张小三"})
    assert response.context["name_limited"]
    assert response.context["facts"]["holder"] == "张*三"


STRANGER = {"REMOTE_ADDR": "198.51.100.66"}
HOLDER = {"REMOTE_ADDR": "203.0.113.9"}


@override_settings(CERTIFICATE_NAME_TRIES=3)
def test_a_strangers_guesses_do_not_lock_out_the_holder(client, certificate):
    for guess in ("王五", "赵六", "钱七", "孙八", "周九"):
        client.post(verify_url(certificate.code), {"name": guess}, **STRANGER)
    stranger = client.post(verify_url(certificate.code), {"name": "张小三"}, **STRANGER)
    assert stranger.context["name_limited"] and stranger.context["facts"]["holder"] == "张*三"
    holder = client.post(verify_url(certificate.code), {"name": "张小三"}, **HOLDER)
    assert not holder.context["name_limited"]
    assert holder.context["facts"]["holder"] == "张小三"


@override_settings(CERTIFICATE_NAME_TRIES=3, TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_each_verifier_has_its_own_tries(client, certificate):
    nginx = {"REMOTE_ADDR": "10.0.0.5"}
    for guess in ("王五", "赵六", "钱七", "孙八"):
        client.post(
            verify_url(certificate.code),
            {"name": guess},
            HTTP_X_FORWARDED_FOR="198.51.100.66",
            **nginx,
        )
    verifier = client.post(
        verify_url(certificate.code),
        {"name": "张小三"},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        **nginx,
    )
    assert verifier.context["facts"]["holder"] == "张小三"


@override_settings(CERTIFICATE_NAME_TRIES=3)
def test_a_genuine_verifier_checking_the_right_name_again_and_again_is_not_limited(
    client, certificate
):
    for _ in range(10):
        response = client.post(verify_url(certificate.code), {"name": "张小三"}, **HOLDER)
        assert response.context["facts"]["holder"] == "张小三"


@override_settings(CERTIFICATE_NAME_TRIES=2, CERTIFICATE_NAME_TRIES_PER_ADDRESS=3)
def test_guesses_across_certificates_from_one_address_are_limited(client, certificate, tmp_path):
    finish(make_user(real_name="李小四"), Certificate.objects.get().course)
    other = Certificate.objects.exclude(pk=certificate.pk).get()
    for guess in ("王五", "赵六"):
        client.post(verify_url(certificate.code), {"name": guess}, **STRANGER)
    client.post(verify_url(other.code), {"name": "钱七"}, **STRANGER)
    response = client.post(verify_url(other.code), {"name": "李小四"}, **STRANGER)
    assert response.context["name_limited"]
    assert response.context["facts"]["holder"] == "李*四"
    elsewhere = client.post(verify_url(other.code), {"name": "李小四"}, **HOLDER)
    assert elsewhere.context["facts"]["holder"] == "李小四"


def test_the_same_answer_as_json(client, certificate):
    data = client.get(verify_url(certificate.code), {"format": "json"}).json()
    assert data["state"] == "valid"
    assert data["holder"] == "张*三"
    assert data["number"] == certificate.number
    assert data["pdf_sha256"] == certificate.pdf_sha256
    assert data["hours"] == "1.0"


@pytest.mark.parametrize(
    "code",
    ["A" * 32, "not-a-code", "x" * 500, "ＡＢＣ", "'; drop table x;--", "A" * 31 + "1"],
)
def test_unknown_malformed_and_overlong_codes_get_the_unknown_page(client, db, code):
    response = client.get(verify_url(code))
    assert response.status_code == 404
    assert (
        "未知证书" in response.content.decode()
        or "Unknown certificate" in response.content.decode()
    )
    assert client.get(verify_url(code), {"format": "json"}).json() == {"state": "unknown"}


def test_a_lowercase_code_is_found(client, certificate):
    assert client.get(verify_url(certificate.code.lower())).status_code == 200


def test_revoked_shows_date_and_reason(client, certificate):
    services.revoke(certificate, "培训记录不实")
    page = client.get(verify_url(certificate.code)).content.decode()
    assert "培训记录不实" in page
    data = client.get(verify_url(certificate.code), {"format": "json"}).json()
    assert data["state"] == "revoked" and data["revocation_reason"] == "培训记录不实"
    assert data["revoked_at"]


def test_a_replaced_certificate_points_to_its_successor(client, certificate):
    new = services.reissue(certificate)
    data = client.get(verify_url(certificate.code), {"format": "json"}).json()
    assert data["state"] == "replaced" and data["replaced_by"] == new.number
    assert client.get(data["replaced_by_url"], {"format": "json"}).json()["state"] == "valid"


def test_expired(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(expires_on="2020-01-01")
    assert client.get(verify_url(certificate.code), {"format": "json"}).json()["state"] == "expired"


@override_settings(CERTIFICATE_VERIFY_RATE=5)
def test_the_page_is_rate_limited_per_visitor(client, certificate):
    codes = [client.get(verify_url(certificate.code)).status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]


@override_settings(CERTIFICATE_VERIFY_RATE=5)
def test_an_ipv6_visitor_cannot_dodge_the_limit_with_new_addresses(client, certificate):
    codes = [
        client.get(verify_url(certificate.code), REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}").status_code
        for n in range(6)
    ]
    assert codes == [200] * 5 + [429]
    assert (
        client.get(verify_url(certificate.code), REMOTE_ADDR="2001:db8:1:3::1").status_code == 200
    )


def test_the_verification_page_costs_at_most_three_queries(
    client, certificate, django_assert_max_num_queries
):
    client.get("/")  # warm the site and settings caches as a running server has them
    with django_assert_max_num_queries(3):
        assert client.get(verify_url(certificate.code)).status_code == 200


def test_the_lookup_form_leads_to_the_page(client, certificate):
    response = client.get(reverse("certificate_verify_form"), {"code": f" {certificate.code} "})
    assert response.status_code == 302
    assert response["Location"] == verify_url(certificate.code)


# Signed credentials: verified with nothing but the published key set.


def test_a_credential_verifies_with_only_the_public_keys(client, certificate):
    jwks = json.loads(client.get("/.well-known/jwks.json").content)
    assert all("d" not in key for key in jwks["keys"])  # no private part published
    claims = signing.verify(certificate.credential, jwks)
    vc = claims["vc"]
    assert "OpenBadgeCredential" in vc["type"]
    assert vc["credentialSubject"]["identifier"][0]["identityHash"] == "张小三"
    assert vc["credentialSubject"]["achievement"]["name"] == certificate.course_title
    assert vc["id"].endswith(verify_url(certificate.code))
    assert jwt.get_unverified_header(certificate.credential)["alg"] == "EdDSA"


def test_a_credential_with_a_changed_name_fails(client, certificate):
    jwks = json.loads(client.get("/.well-known/jwks.json").content)
    header, payload, signature = certificate.credential.split(".")
    claims = json.loads(jwt.utils.base64url_decode(payload))
    claims["vc"]["credentialSubject"]["identifier"][0]["identityHash"] = "李四"
    forged_payload = jwt.utils.base64url_encode(
        json.dumps(claims, separators=(",", ":")).encode()
    ).decode()
    with pytest.raises(jwt.InvalidSignatureError):
        signing.verify(f"{header}.{forged_payload}.{signature}", jwks)


def test_a_credential_signed_by_another_key_fails(certificate):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = Ed25519PrivateKey.generate()
    token = jwt.encode(
        documents.credential_claims(certificate),
        other,
        algorithm="EdDSA",
        headers={"kid": signing.current_kid()},
    )
    with pytest.raises(jwt.InvalidSignatureError):
        signing.verify(token, signing.key_set())


def test_an_expired_credential_fails_verification(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(expires_on="2020-01-01")
    certificate.refresh_from_db()
    token = signing.sign(documents.credential_claims(certificate), signing.current_kid())
    with pytest.raises(jwt.ExpiredSignatureError):
        signing.verify(token, signing.key_set())


def test_keys_used_before_a_rotation_stay_published(certificate, tmp_path, settings):
    old_kid = signing.current_kid()
    signing.private_key.cache_clear()
    settings.CERTIFICATE_SIGNING_KEY_FILE = tmp_path / "rotated.pem"
    try:
        new_kid = signing.current_kid()
        kids = [key["kid"] for key in signing.key_set()["keys"]]
        assert old_kid != new_kid and {old_kid, new_kid} <= set(kids)
        assert signing.verify(certificate.credential, signing.key_set())
    finally:
        signing.private_key.cache_clear()
