"""The personal-data vault: encryption at rest, blind indexes, masking.

A protected identifier `x` lives in three columns of its model:

- `x_sealed`: AES-256-GCM ciphertext as `kid$base64(nonce|ciphertext)`; the key id lets keys
  rotate (`onestop pii rotate`), and the identifier's kind is bound in as associated data, so
  a phone ciphertext cannot be passed off as an ID number.
- `x_index`: a keyed HMAC-SHA256 of the normalised value, for exact lookup without
  decryption. Its key is separate and does not rotate with the encryption keys.
- `x_masked`: what every screen shows (`4401**********123X`, `138****1234`).

A model declares its protected identifiers in `PII_FIELDS = {"x": PiiKind.X}`. Reading the
plaintext is `reveal()`; services that show it to a person audit that access.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from onestop.core.access import Actor
from onestop.core.errors import DomainError


class PiiKind(StrEnum):
    RESIDENT_ID = "resident_id"
    PHONE = "phone"
    SOCIAL_SECURITY_NO = "social_security_no"
    # A postal address and a person's name, kept sealed where they are not needed to find a
    # row (a courier's delivery address and recipient); the index column is optional.
    ADDRESS = "address"
    NAME = "name"


class PiiErrorCode(StrEnum):
    KEY_MISSING = "pii_key_missing"
    UNREADABLE = "pii_unreadable"


def _keep_ends(value: str, head: int, tail: int) -> str:
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail :]


MASKS = {
    PiiKind.RESIDENT_ID: lambda v: _keep_ends(v, 4, 4),
    PiiKind.PHONE: lambda v: _keep_ends(v, 3, 4),
    PiiKind.SOCIAL_SECURITY_NO: lambda v: _keep_ends(v, 2, 4),
    # The city and district (the first six characters, 广州市天河区) tell a clerk where it
    # goes; the street and door do not show.
    PiiKind.ADDRESS: lambda v: v[:6] + "****",
    PiiKind.NAME: lambda v: v[:1] + "*" * min(len(v) - 1, 3),
}


def mask(kind: PiiKind, value: str) -> str:
    return MASKS[kind](value)


@dataclass(frozen=True)
class Keyring:
    current_kid: str
    keys: dict[str, bytes]
    index_key: bytes


def _decode_key(text: str, what: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{what} is not base64") from exc
    if len(key) != 32:
        raise ImproperlyConfigured(f"{what} must be 32 bytes (base64 of 256 bits)")
    return key


@cache
def keyring() -> Keyring:
    spec = settings.ONESTOP_PII_KEYS.strip()
    if not spec or not settings.ONESTOP_PII_INDEX_KEY:
        raise ImproperlyConfigured("ONESTOP_PII_KEYS and ONESTOP_PII_INDEX_KEY must be set")
    keys: dict[str, bytes] = {}
    for part in spec.split(","):
        kid, sep, material = part.strip().partition(":")
        if not sep or not kid or "$" in kid:
            raise ImproperlyConfigured("ONESTOP_PII_KEYS entries are kid:base64key")
        keys[kid] = _decode_key(material, f"PII key {kid!r}")
    current = spec.split(",")[0].split(":")[0].strip()
    return Keyring(current, keys, _decode_key(settings.ONESTOP_PII_INDEX_KEY, "index key"))


def generate_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def encrypt(kind: PiiKind, value: str) -> str:
    ring = keyring()
    nonce = os.urandom(12)
    ciphertext = AESGCM(ring.keys[ring.current_kid]).encrypt(
        nonce, value.encode(), kind.value.encode()
    )
    return f"{ring.current_kid}${base64.b64encode(nonce + ciphertext).decode()}"


def decrypt(kind: PiiKind, sealed: str) -> str:
    kid, _, blob = sealed.partition("$")
    key = keyring().keys.get(kid)
    if key is None:
        raise DomainError(
            PiiErrorCode.KEY_MISSING,
            f"The key {kid!r} that sealed this value is not configured; add it to "
            "ONESTOP_PII_KEYS to read the value.",
            status=500,
            kid=kid,
        )
    raw = base64.b64decode(blob)
    try:
        return AESGCM(key).decrypt(raw[:12], raw[12:], kind.value.encode()).decode()
    except InvalidTag as exc:
        raise DomainError(
            PiiErrorCode.UNREADABLE, "The stored value does not decrypt.", status=500
        ) from exc


def sealed_kid(sealed: str) -> str:
    return sealed.partition("$")[0]


def blind_index(kind: PiiKind, normalised: str) -> str:
    message = f"{kind.value}:{normalised}".encode()
    return hmac.new(keyring().index_key, message, hashlib.sha256).hexdigest()


def assign(instance: models.Model, field: str, value: str | None) -> None:
    """Set the three columns of protected identifier `field` from a normalised value."""
    kind = type(instance).PII_FIELDS[field]  # type: ignore[attr-defined]
    if not value:
        setattr(instance, f"{field}_sealed", "")
        setattr(instance, f"{field}_index", None)
        setattr(instance, f"{field}_masked", "")
        return
    setattr(instance, f"{field}_sealed", encrypt(kind, value))
    setattr(instance, f"{field}_index", blind_index(kind, value))
    setattr(instance, f"{field}_masked", mask(kind, value))


def reveal(instance: models.Model, field: str) -> str:
    """The plaintext. Callers that show it to a person must audit the access."""
    sealed = getattr(instance, f"{field}_sealed")
    if not sealed:
        return ""
    return decrypt(type(instance).PII_FIELDS[field], sealed)  # type: ignore[attr-defined]


def sealed_field() -> models.TextField:
    return models.TextField(blank=True, default="", editable=False)


def index_field(*, unique: bool = False) -> models.CharField:
    # NULL, not "", for an absent value, so a unique index allows many absent ones.
    return models.CharField(
        max_length=64, null=True, blank=True, unique=unique, db_index=not unique, editable=False
    )


def masked_field(verbose_name: str = "") -> models.CharField:
    return models.CharField(
        max_length=32, blank=True, default="", editable=False, verbose_name=verbose_name
    )


def protected_models() -> Iterator[type[models.Model]]:
    for model in apps.get_models():
        if getattr(model, "PII_FIELDS", None):
            yield model


# Writing functions excused from @audited (tests/test_conventions.py), and why.
NOT_AUDITED = {
    "pii_rotate": "each batch commits in a transaction of its own, with its own audit entry",
}


def pii_rotate(*, actor: Actor | None = None, batch_size: int = 500) -> dict[str, int]:
    """Re-encrypt every protected value not sealed with the current key.

    Runs in batches, each its own transaction with its audit entry, so a long rotation can
    be stopped and resumed; a value whose key is missing stops the run with pii_key_missing.
    """
    from django.db import transaction

    from onestop.core.audit import audit_record

    current = keyring().current_kid
    counts: dict[str, int] = {}
    for model in protected_models():
        label = model._meta.label_lower
        counts[label] = 0
        for field, kind in model.PII_FIELDS.items():  # type: ignore[attr-defined]
            column = f"{field}_sealed"
            stale = model._default_manager.exclude(**{column: ""}).exclude(
                **{f"{column}__startswith": f"{current}$"}
            )
            while True:
                with transaction.atomic():
                    rows = list(stale.select_for_update().order_by("pk")[:batch_size])
                    if not rows:
                        break
                    for row in rows:
                        setattr(row, column, encrypt(kind, decrypt(kind, getattr(row, column))))
                    model._default_manager.bulk_update(rows, [column])
                    audit_record(
                        actor=actor,
                        action="pii.rotate",
                        object_type=label,
                        after={"field": field, "rows": len(rows), "kid": current},
                    )
                counts[label] += len(rows)
    return counts
