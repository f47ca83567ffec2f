"""The platform's Ed25519 key, the published key set, and credentials signed as JWTs.

A credential is an Open Badges 3.0 OpenBadgeCredential (a W3C Verifiable Credential) secured
with the JWT proof format: the credential is the ``vc`` claim, signed with EdDSA. Anyone with
the public key from /.well-known/jwks.json can verify it offline.
"""

import base64
import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings

# PyJWT and cryptography are imported where a key is used: only certificate issuing and
# verification need them, and a web worker need not carry them for every other page.

OB3_CONTEXT = [
    "https://www.w3.org/2018/credentials/v1",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@lru_cache(maxsize=1)
def private_key():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    pem = settings.CERTIFICATE_SIGNING_KEY
    if not pem:
        path = Path(settings.CERTIFICATE_SIGNING_KEY_FILE)
        if not path.exists():
            # A development machine makes its own key on first use; production is given one
            # (the production settings refuse to start without it).
            path.parent.mkdir(parents=True, exist_ok=True)
            key = Ed25519PrivateKey.generate()
            path.write_bytes(
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
            path.chmod(0o600)
        pem = path.read_text()
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the certificate signing key must be an Ed25519 key")
    return key


def public_jwk(key=None):
    from cryptography.hazmat.primitives import serialization

    raw = (
        (key or private_key())
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw)}
    return {**jwk, "kid": thumbprint(jwk), "alg": "EdDSA", "use": "sig"}


def thumbprint(jwk):
    """RFC 7638 thumbprint: the key's id, the same wherever it is computed."""
    canonical = json.dumps(
        {k: jwk[k] for k in ("crv", "kty", "x")}, separators=(",", ":"), sort_keys=True
    )
    return _b64url(hashlib.sha256(canonical.encode()).digest())


def current_kid():
    from certificates.models import SigningKey

    jwk = public_jwk()
    SigningKey.objects.get_or_create(kid=jwk["kid"], defaults={"public_jwk": jwk})
    return jwk["kid"]


def key_set():
    from certificates.models import SigningKey

    current_kid()
    return {"keys": [key.public_jwk for key in SigningKey.objects.order_by("created_at")]}


def sign(claims, kid):
    import jwt

    return jwt.encode(claims, private_key(), algorithm="EdDSA", headers={"kid": kid, "typ": "JWT"})


def verify(token, jwks):
    """The claims of ``token`` if a key of ``jwks`` signed it; raises jwt.InvalidTokenError.

    Needs nothing of the platform but its public key set, as an employer's software would.
    """
    import jwt
    from jwt.algorithms import OKPAlgorithm

    header = jwt.get_unverified_header(token)
    for jwk in jwks["keys"]:
        if jwk.get("kid") == header.get("kid"):
            key = OKPAlgorithm.from_jwk(json.dumps(jwk))
            return jwt.decode(
                token, key, algorithms=["EdDSA"], options={"verify_aud": False}, leeway=60
            )
    raise jwt.InvalidTokenError("no published key has this key id")
