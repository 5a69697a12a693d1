"""The issuer's signing keys, behind the `Signer` interface an HSM could implement.

A signer signs a JWS for us (`sign_compact`) and publishes the public half of every key it
has ever signed with (`public_keys`), so a licence signed before a rotation stays verifiable.
The private key never leaves it and is never stored in the database.

`LocalSigner` holds ES256 (P-256) keys:

- in production from `ONESTOP_LICENCE_SIGNING_KEYS` ("kid:base64(PEM),kid:base64(PEM)", the
  first signs, the others only verify), or from key files in `ONESTOP_LICENCE_KEY_DIR`;
- in development and the demo from the key directory (default `var/licence-keys/`), where
  a first key is generated when there is none (`ONESTOP_LICENCE_KEY_GENERATE`). Each key is
  `<kid>.pem` (PKCS#8, mode 0600); the file `current` names the one that signs.

`onestop licences rotate-key` adds a key to the directory and makes it current; keys from
the environment are rotated by their operator (a new entry first in the list).
"""

from __future__ import annotations

import base64
import binascii
import os
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from joserfc import jws
from joserfc.jwk import ECKey

from onestop.core.errors import DomainError
from onestop.licences.enums import ErrorCode

ALGORITHM = "ES256"
CURVE = "P-256"


@dataclass(frozen=True)
class PublicKey:
    kid: str
    jwk: dict[str, Any]


class Signer(Protocol):
    @property
    def current_kid(self) -> str: ...

    def sign_compact(self, header: dict[str, Any], payload: bytes) -> str:
        """A compact JWS of `payload` under `header` (alg and kid are set by the signer)."""
        ...

    def public_keys(self) -> list[PublicKey]: ...

    def rotate(self) -> str:
        """Make a new key current and return its kid; older keys keep verifying."""
        ...


def _kid_for(key: ECKey) -> str:
    # The RFC 7638 thumbprint: the same key always has the same kid, on every server.
    return str(key.thumbprint())


class LocalSigner:
    """ES256 keys in this process's memory, read from the environment or a directory."""

    def __init__(self, *, env_keys: str, key_dir: Path, generate: bool) -> None:
        self._lock = threading.Lock()
        self._env = bool(env_keys.strip())
        self._dir = key_dir
        self._keys: dict[str, ECKey] = {}
        self._current = ""
        if self._env:
            self._load_env(env_keys)
        else:
            self._load_dir(generate=generate)

    def _load_env(self, spec: str) -> None:
        for n, part in enumerate(spec.split(",")):
            kid, sep, material = part.strip().partition(":")
            if not sep or not kid:
                raise ImproperlyConfigured("ONESTOP_LICENCE_SIGNING_KEYS entries are kid:base64pem")
            try:
                key = ECKey.import_key(base64.b64decode(material, validate=True))
            except (binascii.Error, ValueError) as exc:
                raise ImproperlyConfigured(f"licence signing key {kid!r} is not readable") from exc
            self._check(key, kid)
            self._keys[kid] = key
            if n == 0:
                self._current = kid

    def _check(self, key: ECKey, kid: str) -> None:
        if key.as_dict().get("crv") != CURVE or not key.is_private:
            raise ImproperlyConfigured(f"licence signing key {kid!r} must be a private P-256 key")

    def _load_dir(self, *, generate: bool) -> None:
        for path in sorted(self._dir.glob("*.pem")):
            key = ECKey.import_key(path.read_bytes())
            self._check(key, path.stem)
            self._keys[path.stem] = key
        current = self._dir / "current"
        if current.exists():
            self._current = current.read_text().strip()
        if self._current not in self._keys:
            if not generate:
                raise ImproperlyConfigured(
                    "No licence signing key: set ONESTOP_LICENCE_SIGNING_KEYS or put a key in "
                    f"{self._dir} (onestop licences rotate-key)"
                )
            self._add_to_dir()

    def _add_to_dir(self) -> str:
        key = ECKey.generate_key(CURVE, private=True)
        kid = _kid_for(key)
        self._dir.mkdir(parents=True, exist_ok=True)
        path = self._dir / f"{kid}.pem"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key.as_pem(private=True))
        (self._dir / "current").write_text(kid + "\n")
        self._keys[kid] = key
        self._current = kid
        return kid

    @property
    def current_kid(self) -> str:
        return self._current

    def sign_compact(self, header: dict[str, Any], payload: bytes) -> str:
        kid = self._current
        protected = {**header, "alg": ALGORITHM, "kid": kid}
        return jws.serialize_compact(protected, payload, self._keys[kid], algorithms=[ALGORITHM])

    def public_keys(self) -> list[PublicKey]:
        keys = []
        for kid, key in self._keys.items():
            jwk = {**key.as_dict(private=False), "kid": kid, "use": "sig", "alg": ALGORITHM}
            keys.append(PublicKey(kid, jwk))
        # The current key first, then the older ones.
        return sorted(keys, key=lambda k: k.kid != self._current)

    def rotate(self) -> str:
        if self._env:
            raise DomainError(
                ErrorCode.KEYSTORE_READ_ONLY,
                "The signing keys come from ONESTOP_LICENCE_SIGNING_KEYS: put a new key first "
                "in that list (and keep the old ones) to rotate.",
                status=409,
            )
        with self._lock:
            return self._add_to_dir()


@cache
def signer() -> Signer:
    """The platform's signer, made once per process."""
    return LocalSigner(
        env_keys=settings.ONESTOP_LICENCE_SIGNING_KEYS,
        key_dir=Path(settings.ONESTOP_LICENCE_KEY_DIR),
        generate=settings.ONESTOP_LICENCE_KEY_GENERATE,
    )


def public_key(kid: str) -> ECKey | None:
    for key in signer().public_keys():
        if key.kid == kid:
            return ECKey.import_key(key.jwk)
    return None
