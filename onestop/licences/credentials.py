"""Licences as SD-JWT verifiable credentials (RFC 9901 and the SD-JWT VC draft), and the
checks that read one back.

Issued (decision 0028):

    header   {"alg": "ES256", "typ": "dc+sd-jwt", "kid": <RFC 7638 thumbprint>}
    payload  iss, jti (the e-licence identifier), vct (the licence type), iat, nbf, exp
             (from the issue date and the validity, Asia/Shanghai days), status
             (Token Status List index and URI), the licence's public metadata in clear,
             and as selectively disclosable claims the holder's name, code and code type
             and, nested under `face`, every face field
    compact  <issuer-signed JWT>~<disclosure>~...~     (no key binding: a bearer credential)

A presentation is the same JWT with only some of the disclosures. `credential_read` checks
what a verifier must check, each failure with its own answer: the algorithm is exactly ES256
(`none` and HMAC are refused before any key is touched), the type, the issuer and its key,
the signature, every disclosure against the signed digests, the licence type, and the
validity window; the status is the caller's to read.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from joserfc import jws
from joserfc.errors import JoseError

from onestop.licences import keys

SD_JWT_TYPE = "dc+sd-jwt"
SD_ALG = "sha-256"
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Far above any licence we issue (a few kilobytes), far below what could hurt a server.
MAX_CREDENTIAL_CHARS = 64 * 1024
HOLDER_CLAIMS = ("holder_name", "holder_code_type", "holder_code")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    if not isinstance(text, str) or not text.isascii():
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _disclosure(name: str, value: Any) -> tuple[str, str]:
    salt = b64url(secrets.token_bytes(16))
    encoded = b64url(json.dumps([salt, name, value], ensure_ascii=False).encode())
    return encoded, digest(encoded)


def digest(disclosure: str) -> str:
    return b64url(hashlib.sha256(disclosure.encode("ascii")).digest())


def day_start(day: date) -> int:
    return int(datetime.combine(day, time.min, tzinfo=SHANGHAI).timestamp())


def issuer_url() -> str:
    return str(settings.ONESTOP_LICENCE_ISSUER_URL).rstrip("/")


@dataclass(frozen=True)
class CredentialInput:
    identifier: str
    vct: str
    issued_on: date
    valid_from: date
    valid_until: date | None
    status_uri: str
    status_index: int
    public: Mapping[str, Any]
    holder: Mapping[str, Any]
    face: Mapping[str, Any]


def credential_sign(data: CredentialInput, signer: keys.Signer | None = None) -> tuple[str, str]:
    """The compact SD-JWT VC of a licence, and the kid that signed it."""
    signer = signer or keys.signer()
    disclosures: list[str] = []
    holder_digests = []
    for name, value in data.holder.items():
        encoded, hashed = _disclosure(name, value)
        disclosures.append(encoded)
        holder_digests.append(hashed)
    face_digests = []
    for name, value in data.face.items():
        encoded, hashed = _disclosure(name, value)
        disclosures.append(encoded)
        face_digests.append(hashed)
    payload: dict[str, Any] = {
        "iss": issuer_url(),
        "jti": data.identifier,
        "vct": data.vct,
        "iat": day_start(data.issued_on),
        "nbf": day_start(data.valid_from),
        **(
            {"exp": day_start(data.valid_until + timedelta(days=1))}
            if data.valid_until is not None
            else {}
        ),
        "status": {"status_list": {"idx": data.status_index, "uri": data.status_uri}},
        **data.public,
        "_sd_alg": SD_ALG,
        # Sorted, so the order says nothing about which claim is which.
        "_sd": sorted(holder_digests),
        "face": {"_sd": sorted(face_digests)},
    }
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    token = signer.sign_compact({"typ": SD_JWT_TYPE}, body)
    return "~".join([token, *disclosures]) + "~", signer.current_kid


def presentation_make(credential: str, disclose: set[str]) -> str:
    """The credential with only the disclosures of the named claims (`face.<key>` for a
    face field, `holder_name` etc. for the holder's)."""
    jwt, *rest = credential.split("~")
    kept = []
    for encoded in rest:
        if not encoded:
            continue
        _salt, name, _value = json.loads(b64url_decode(encoded))
        if name in disclose or f"face.{name}" in disclose:
            kept.append(encoded)
    return "~".join([jwt, *kept]) + "~"


@dataclass(frozen=True)
class PresentationInput:
    """What a holder chose to show (decision 0037): the licence's signed claims, the chosen
    disclosures only, and the moment the presentation stops being accepted."""

    identifier: str
    vct: str
    valid_from: date
    valid_until: date | None
    status_uri: str
    status_index: int
    public: Mapping[str, Any]
    holder: Mapping[str, Any]
    face: Mapping[str, Any]
    issued_at: datetime
    expires_at: datetime


def presentation_sign(data: PresentationInput, signer: keys.Signer | None = None) -> str:
    """A presentation of a licence: an SD-JWT VC signed for the holder on their request,
    with only the chosen claims (their digests and disclosures; the others are absent, not
    even as digests), `exp` the presentation's end (never past the licence's) and the clear
    claim `presentation: true` that tells a lapsed presentation from a lapsed licence."""
    signer = signer or keys.signer()
    disclosures: list[str] = []
    holder_digests: list[str] = []
    face_digests: list[str] = []
    for source, digests in ((data.holder, holder_digests), (data.face, face_digests)):
        for name, value in source.items():
            encoded, hashed = _disclosure(name, value)
            disclosures.append(encoded)
            digests.append(hashed)
    until = int(data.expires_at.timestamp())
    if data.valid_until is not None:
        until = min(until, day_start(data.valid_until + timedelta(days=1)))
    payload: dict[str, Any] = {
        "iss": issuer_url(),
        "jti": data.identifier,
        "vct": data.vct,
        "iat": int(data.issued_at.timestamp()),
        "nbf": day_start(data.valid_from),
        "exp": until,
        "presentation": True,
        "status": {"status_list": {"idx": data.status_index, "uri": data.status_uri}},
        **data.public,
        "_sd_alg": SD_ALG,
        "_sd": sorted(holder_digests),
        "face": {"_sd": sorted(face_digests)},
    }
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    token = signer.sign_compact({"typ": SD_JWT_TYPE}, body)
    return "~".join([token, *disclosures]) + "~"


class Rejected(Exception):
    """What is wrong with a credential: `result` (a VerifyResult value) and `reason`."""

    def __init__(self, result: str, reason: str) -> None:
        super().__init__(f"{result}: {reason}")
        self.result = result
        self.reason = reason


@dataclass
class ReadCredential:
    header: dict[str, Any]
    payload: dict[str, Any]
    disclosed: dict[str, Any] = field(default_factory=dict)
    face: dict[str, Any] = field(default_factory=dict)
    # "" while within its validity, else "expired" or "not_yet_valid".
    lapse: str = ""

    @property
    def is_presentation(self) -> bool:
        return self.payload.get("presentation") is True

    @property
    def identifier(self) -> str:
        return str(self.payload.get("jti", ""))


def _json_part(text: str) -> dict[str, Any]:
    try:
        value = json.loads(b64url_decode(text))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Rejected("tampered", "malformed") from None
    if not isinstance(value, dict):
        raise Rejected("tampered", "malformed")
    return value


def credential_read(text: str, *, now: datetime) -> ReadCredential:
    """The checked credential; raises Rejected saying which check failed."""
    if not isinstance(text, str) or len(text) > MAX_CREDENTIAL_CHARS:
        raise Rejected("tampered", "malformed")
    jwt, *disclosures = text.strip().split("~")
    parts = jwt.split(".")
    if len(parts) != 3:
        raise Rejected("tampered", "malformed")
    header = _json_part(parts[0])
    payload = _json_part(parts[1])
    # The algorithm is pinned before any key is looked at: `none` and HMAC (which would use
    # a public key as a shared secret) never reach a signature check.
    if header.get("alg") != keys.ALGORITHM:
        raise Rejected("tampered", "algorithm_not_allowed")
    if header.get("typ") != SD_JWT_TYPE:
        raise Rejected("tampered", "wrong_type")
    if payload.get("iss") != issuer_url():
        raise Rejected("unknown_issuer", "issuer")
    kid = header.get("kid")
    key = keys.public_key(kid) if isinstance(kid, str) else None
    if key is None:
        raise Rejected("unknown_issuer", "key")
    try:
        jws.deserialize_compact(jwt, key, algorithms=[keys.ALGORITHM])
    except (JoseError, ValueError):
        raise Rejected("tampered", "signature") from None
    read = ReadCredential(header, payload)
    _disclose(read, [d for d in disclosures if d])
    read.lapse = _lapse(payload, now)
    return read


def _disclose(read: ReadCredential, disclosures: list[str]) -> None:
    if read.payload.get("_sd_alg", SD_ALG) != SD_ALG:
        raise Rejected("tampered", "disclosure")
    top = read.payload.get("_sd", [])
    face = read.payload.get("face", {})
    nested = face.get("_sd", []) if isinstance(face, dict) else []
    if not isinstance(top, list) or not isinstance(nested, list):
        raise Rejected("tampered", "disclosure")
    seen: set[str] = set()
    for encoded in disclosures:
        hashed = digest(encoded) if encoded.isascii() else ""
        if hashed in seen:
            raise Rejected("tampered", "disclosure")
        seen.add(hashed)
        try:
            item = json.loads(b64url_decode(encoded))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise Rejected("tampered", "disclosure") from None
        if not (isinstance(item, list) and len(item) == 3 and isinstance(item[1], str)):
            raise Rejected("tampered", "disclosure")
        _salt, name, value = item
        if hashed in top:
            read.disclosed[name] = value
        elif hashed in nested:
            read.face[name] = value
        else:
            raise Rejected("tampered", "disclosure")


def _lapse(payload: Mapping[str, Any], now: datetime) -> str:
    moment = now.timestamp()
    for claim in ("iat", "nbf", "exp"):
        if claim in payload and not isinstance(payload[claim], int):
            raise Rejected("tampered", "malformed")
    if "nbf" in payload and payload["nbf"] > moment:
        return "not_yet_valid"
    if "exp" in payload and payload["exp"] <= moment:
        return "expired"
    return ""
