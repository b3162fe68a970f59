"""Trusting CDS Clients: the EHR's signed JWT on every CDS Hooks call (CDS Hooks 2.0, "Trusting CDS Clients").

Only issuers on the allow-list (CDS_HOOKS_ISSUERS: issuer -> JWK Set or PEM public key, given
inline or as a file path) are trusted, with the keys configured for them here; a `jku` header is
never fetched. The token must be signed with an asymmetric algorithm, name the endpoint being
called in `aud`, carry `exp`, `iat` and `jti`, and be used once: its `jti` is kept until `exp`.
"""
import hashlib
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jwt
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from flask import current_app
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from web.clock import now as utcnow
from web.extensions import db
from web.models import CdsTokenSeen

# The spec recommends ES384 and RS384; never `none`, never a symmetric (HMAC) algorithm.
ALGORITHMS = {"ES256": EllipticCurvePublicKey, "ES384": EllipticCurvePublicKey,
              "ES512": EllipticCurvePublicKey, "RS256": RSAPublicKey, "RS384": RSAPublicKey,
              "RS512": RSAPublicKey}
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "jti"]
MAX_JTI_LENGTH = 255


class Unauthorized(Exception):
    """The request carries no JWT this service can trust."""


class TrustedKey:
    """One public key of a trusted issuer, with the key id and algorithm its JWK names (if any)."""

    def __init__(self, key, kid=None, alg=None):
        self.key, self.kid, self.alg = key, kid, alg


def load_issuers(setting, instance_path):
    """Read CDS_HOOKS_ISSUERS into {issuer: [TrustedKey]}; raise ValueError naming a bad entry."""
    if isinstance(setting, str):
        setting = json.loads(setting) if setting.strip() else {}
    issuers = {}
    for issuer, source in (setting or {}).items():
        try:
            issuers[issuer] = _keys(source, instance_path)
        except (ValueError, TypeError, AttributeError, OSError, jwt.PyJWKError) as error:
            raise ValueError(f"CDS_HOOKS_ISSUERS[{issuer!r}]: no usable public key ({error})") from error
        if not issuers[issuer]:
            raise ValueError(f"CDS_HOOKS_ISSUERS[{issuer!r}]: no signing key")
    return issuers


def _keys(source, instance_path):
    """The keys of one issuer: a JWK Set (object), a PEM public key, or a file holding either."""
    if isinstance(source, dict):
        return [TrustedKey(_public(jwt.PyJWK(jwk).key), jwk.get("kid"), jwk.get("alg"))
                for jwk in source.get("keys", []) if jwk.get("use", "sig") == "sig"]
    if not isinstance(source, str):
        raise TypeError("expected a JWK Set, a PEM public key or a file path")
    text = source.strip()
    if text.startswith("-----BEGIN"):
        return [TrustedKey(_public(load_pem_public_key(text.encode())))]
    path = Path(instance_path) / text
    content = path.read_text()
    return _keys(json.loads(content) if content.lstrip().startswith("{") else content, instance_path)


def _public(key):
    """Accept an EC or RSA public key; a private key does not belong in this service's settings."""
    if not isinstance(key, (EllipticCurvePublicKey, RSAPublicKey)):
        raise ValueError("only EC and RSA public keys are accepted")
    return key


def bearer_token(header):
    """The token of an `Authorization: Bearer <JWT>` header."""
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Send the EHR's signed JWT as 'Authorization: Bearer <JWT>'.")
    return token.strip()


def verify(token, audience):
    """Return the claims of a trusted, unexpired, first-used JWT addressed to `audience`."""
    try:
        header = jwt.get_unverified_header(token)
        issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
    except jwt.PyJWTError as error:
        raise Unauthorized("The JWT cannot be read.") from error
    key = _key_for(issuer, header)
    try:
        claims = jwt.decode(token, key.key, algorithms=[header["alg"]], audience=audience, issuer=issuer,
                            options={"require": REQUIRED_CLAIMS, "verify_exp": False,
                                     "verify_iat": False, "verify_nbf": False})
    except jwt.PyJWTError as error:
        raise Unauthorized(f"The JWT was not accepted: {error}.") from error
    _check_times(claims)
    _remember(issuer, claims)
    return claims


def _key_for(issuer, header):
    """The configured key that must have signed a token of this issuer with this header."""
    issuers = current_app.extensions["cds_issuers"]
    if not isinstance(issuer, str) or issuer not in issuers:
        raise Unauthorized("The JWT's issuer is not on this service's allow-list.")
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise Unauthorized(f"The JWT's algorithm must be one of {', '.join(sorted(ALGORITHMS))}.")
    if header.get("typ", "JWT").upper() != "JWT":
        raise Unauthorized("The JWT's typ header must be JWT.")
    kid = header.get("kid")
    candidates = [key for key in issuers[issuer]
                  if (key.kid is None or key.kid == kid) and key.alg in (None, alg)
                  and isinstance(key.key, ALGORITHMS[alg])]
    if len(candidates) != 1:
        raise Unauthorized("No configured key of this issuer matches the JWT's kid and alg.")
    return candidates[0]


def _check_times(claims):
    """Check exp, iat (and nbf) against the app clock, allowing CDS_HOOKS_LEEWAY_SECONDS of skew."""
    now = utcnow().timestamp()
    leeway = current_app.config["CDS_HOOKS_LEEWAY_SECONDS"]
    for claim in ("exp", "iat", "nbf"):
        if claim in claims and not isinstance(claims[claim], (int, float)):
            raise Unauthorized(f"The JWT's {claim} must be a number of seconds.")
    if claims["exp"] <= now - leeway:
        raise Unauthorized("The JWT has expired.")
    if claims["iat"] > now + leeway or claims.get("nbf", now) > now + leeway:
        raise Unauthorized("The JWT is not valid yet.")


def _remember(issuer, claims):
    """Keep the token's jti until it expires; refuse a jti already seen (a replay)."""
    jti = claims["jti"]
    if not isinstance(jti, str) or not jti or len(jti) > MAX_JTI_LENGTH:
        raise Unauthorized("The JWT's jti must be a string of at most 255 characters.")
    leeway = current_app.config["CDS_HOOKS_LEEWAY_SECONDS"]
    expires_at = datetime.fromtimestamp(claims["exp"], timezone.utc) + timedelta(seconds=leeway)
    db.session.execute(delete(CdsTokenSeen).where(CdsTokenSeen.expires_at < utcnow()))
    digest = hashlib.sha256(f"{issuer}\0{jti}".encode()).hexdigest()
    db.session.add(CdsTokenSeen(key_hash=digest, expires_at=expires_at))
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise Unauthorized("This JWT was already used (its jti was seen before).") from error
