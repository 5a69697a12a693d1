"""A booking's code and the signed token its QR carries.

The code is what a person reads out or types at a kiosk: eight characters from an alphabet
without look-alikes (no 0/O, 1/I/L). The QR carries `B<id>.<code>` signed with the site's
key, so a QR that was not issued here fails the signature; a reused one passes it and is
then refused by the booking's state.
"""

from __future__ import annotations

import secrets

import segno
from django.core import signing

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
_SALT = "onestop.appointments.booking"


def code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_normalise(text: str) -> str:
    return "".join(text.split()).upper()


def token_for(booking_id: int, code: str) -> str:
    return signing.Signer(salt=_SALT).sign(f"B{booking_id}.{code}")


def token_read(text: str) -> tuple[int, str] | None:
    """(booking id, code) from a token that carries a valid signature; None otherwise."""
    try:
        value = signing.Signer(salt=_SALT).unsign(text.strip())
    except signing.BadSignature:
        return None
    ident, _, code = value.partition(".")
    if not ident.startswith("B") or not ident[1:].isdigit() or not code:
        return None
    return int(ident[1:]), code


def looks_like_token(text: str) -> bool:
    return text.strip().startswith("B") and ":" in text


def qr_svg(token: str, *, scale: int = 6, fluid: bool = False) -> str:
    """The QR of a token as SVG, dark on light with its quiet zone; `fluid` leaves out the
    size (a viewBox instead) so a page can scale it."""
    return segno.make(token, error="m").svg_inline(
        scale=scale, dark="#000", light="#fff", omitsize=fluid
    )
