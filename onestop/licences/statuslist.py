"""IETF Token Status List (draft-ietf-oauth-status-list): the published state of every
licence, two bits each, so a verifier needs no call about any one licence.

Bit order, as the draft fixes it: the status of index `i` sits in byte `i * bits // 8` at
bit offset `(i * bits) % 8` counted from the least significant bit. With two bits, index 0
is the two lowest bits of byte 0 and index 3 the two highest. Values: 0 VALID, 1 INVALID
(revoked, or superseded by a renewal or change), 2 SUSPENDED. The byte array is compressed
with DEFLATE in the ZLIB format and base64url-encoded without padding (`lst`).

The list is published as a JWT (`typ: statuslist+jwt`) signed by the licences' signer,
with `sub` its own URI and `ttl` how long it may be cached.
"""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Iterable

from onestop.licences import keys
from onestop.licences.credentials import b64url, b64url_decode

STATUS_LIST_TYPE = "statuslist+jwt"
# A decompressed list larger than this is refused when reading one (a zip bomb).
MAX_LIST_BYTES = 16 * 1024 * 1024


def pack(size: int, bits: int, statuses: Iterable[tuple[int, int]]) -> bytes:
    if bits not in (1, 2, 4, 8):
        raise ValueError("bits is 1, 2, 4 or 8")
    array = bytearray((size * bits + 7) // 8)
    mask = (1 << bits) - 1
    for index, value in statuses:
        if not 0 <= index < size or not 0 <= value <= mask:
            raise ValueError(f"status {value} at {index} does not fit")
        position = index * bits
        array[position // 8] |= value << (position % 8)
    return bytes(array)


def status_at(array: bytes, index: int, bits: int) -> int:
    position = index * bits
    return (array[position // 8] >> (position % 8)) & ((1 << bits) - 1)


def encode(array: bytes) -> str:
    return b64url(zlib.compress(array, 9))


def decode(lst: str) -> bytes:
    """The byte array of `lst`, refusing one that inflates past MAX_LIST_BYTES."""
    inflater = zlib.decompressobj()
    array = inflater.decompress(b64url_decode(lst), MAX_LIST_BYTES)
    if inflater.unconsumed_tail:
        raise ValueError("status list too large")
    return array


def token_sign(
    *, uri: str, size: int, bits: int, statuses: Iterable[tuple[int, int]], ttl: int
) -> str:
    now = int(time.time())
    payload = {
        "sub": uri,
        "iat": now,
        "exp": now + max(ttl, 1) * 10,
        "ttl": ttl,
        "status_list": {"bits": bits, "lst": encode(pack(size, bits, statuses))},
    }
    body = json.dumps(payload, separators=(",", ":")).encode()
    return keys.signer().sign_compact({"typ": STATUS_LIST_TYPE}, body)
