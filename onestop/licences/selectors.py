"""Reads of e-licences: the catalog, one licence (scoped to the actor), a holder's wallet,
the published keys and status lists, and verification.

Verification is public and writes nothing: it answers from the credential (signature,
disclosures, validity) and the licence's current status, and shows only the metadata the
credential carries in clear and the claims the holder disclosed.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import segno
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.core import pii
from onestop.core.access import Actor
from onestop.core.errors import DomainError, NotFound
from onestop.core.i18n import translate_text
from onestop.licences import credentials, keys, statuslist
from onestop.licences.enums import (
    TOKEN_STATUS,
    ErrorCode,
    LicenceStatus,
    VerifyResult,
)
from onestop.licences.identifiers import identifier_parse
from onestop.licences.models import Licence, LicenceEvent, LicenceType, StatusList
from onestop.licences.policies import RULES, Perm
from onestop.licences.reuse import (  # re-exported: cases calls these here
    item_licence_types,  # noqa: F401
    licence_types_for_material,  # noqa: F401
    licence_uses,  # noqa: F401
    licence_uses_and_reads,  # noqa: F401
    licence_uses_of_case,  # noqa: F401
    licences_of_case,  # noqa: F401
    licences_offered,  # noqa: F401
)

_CREDENTIAL_AAD = b"licences.credential"


# --- The catalog -----------------------------------------------------------------------------


def licence_type_get(code: str) -> LicenceType:
    licence_type = (
        LicenceType.objects.select_related("department")
        .filter(code=str(code).strip().upper()[:21], is_active=True)
        .first()
    )
    if licence_type is None:
        raise NotFound(ErrorCode.LICENCE_TYPE_NOT_FOUND, _("No such licence type."))
    return licence_type


def licence_types() -> QuerySet[LicenceType]:
    return LicenceType.objects.filter(is_active=True).select_related("department")


def licence_types_for_item(item_key: str) -> list[LicenceType]:
    """The licence types a decision on this item issues."""
    return [t for t in licence_types() if item_key in t.item_keys]


def licence_types_replacing(material: str) -> list[LicenceType]:
    """The licence types that can replace this material of an application."""
    return [t for t in licence_types() if material in t.replaces_materials]


# --- Licences --------------------------------------------------------------------------------


def _not_found() -> NotFound:
    return NotFound(ErrorCode.LICENCE_NOT_FOUND, _("No such licence."))


def access_licence(
    actor: Actor | None, licence_id: Any, *, perm: Perm = Perm.VIEW, for_update: bool = False
) -> Licence:
    """The licence, if `actor` holds `perm` on it; NotFound otherwise, whether it is missing
    or outside the actor's reach, so ids cannot be probed."""
    if isinstance(licence_id, bool):
        raise _not_found()
    try:
        pk = int(licence_id)
    except (TypeError, ValueError):
        raise _not_found() from None
    rows = Licence.objects.select_related("licence_type", "department")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    licence = rows.filter(pk=pk).first()
    if licence is None or not RULES.can(actor, perm, licence.place):
        raise _not_found()
    return licence


def licences_of_holder(actor: Actor) -> QuerySet[Licence]:
    """The licences in the actor's wallet: their own, and those of enterprises they
    represent. Empty for an account without a person."""
    if actor.person_id is None or not actor.is_active:
        return Licence.objects.none()
    return (
        Licence.objects.filter(owner_person_id=actor.person_id)
        .select_related("licence_type")
        .order_by("licence_type__code", "-version", "-pk")
    )


def licences_replacing(actor: Actor, material: str) -> list[Licence]:
    """The actor's valid licences that can stand in for `material` of an application (用证):
    what cases offers instead of an upload."""
    types = [t.pk for t in licence_types_replacing(material)]
    today = timezone.localdate()
    return [
        licence
        for licence in licences_of_holder(actor).filter(
            licence_type_id__in=types, status=LicenceStatus.VALID
        )
        if licence_effective_status(licence, today) == LicenceStatus.VALID
    ]


def holder_licence(actor: Actor | None, licence_id: Any) -> Licence:
    """One licence of the actor's own wallet (the holder or the legal representative of the
    holding enterprise); NotFound for anyone else's, staff included."""
    licence = access_licence(actor, licence_id)
    if actor is None or actor.person_id is None or licence.owner_person_id != actor.person_id:
        raise _not_found()
    return licence


def licence_timeline(licence: Licence) -> list[LicenceEvent]:
    return list(licence.events.order_by("at", "pk"))


def licence_credential(licence: Licence) -> str:
    """The compact SD-JWT VC, unsealed. Only for the holder or the issuing department.
    Empty for a licence a decision issued moments ago, until its signing task has run."""
    if not licence.credential_sealed:
        return ""
    kid, _sep, blob = licence.credential_sealed.partition("$")
    key = pii.keyring().keys.get(kid)
    if key is None:
        raise DomainError(ErrorCode.KEY_MISSING, "The key that sealed this credential is missing.")
    raw = base64.b64decode(blob)
    try:
        return AESGCM(key).decrypt(raw[:12], raw[12:], _CREDENTIAL_AAD).decode()
    except InvalidTag as exc:
        raise DomainError(ErrorCode.KEY_MISSING, "The credential does not decrypt.") from exc


def licence_verification_url(licence: Licence) -> str:
    """What a licence's QR code carries (decision 0029): the public verification page with
    its identifier, on the issuer's site."""
    return f"{credentials.issuer_url()}/licences/verify/?id={licence.identifier}"


def licence_qr_svg(licence: Licence) -> str:
    """The QR of the verification URL, error correction Q (readable with a quarter of it
    damaged or covered by a stamp), as inline SVG that scales with the page."""
    return str(
        segno.make(licence_verification_url(licence), error="q").svg_inline(
            scale=4, dark="#000", light="#fff", omitsize=True
        )
    )


def licence_print_content(licence: Licence) -> dict[str, Any]:
    """What the printable licence shows (`printout.licence_pdf`'s arguments): the metadata,
    the holder's name and masked code, the face in the type's order, and the QR."""
    status = licence_effective_status(licence)
    until = licence.valid_until.isoformat() if licence.valid_until else _("Long-term")
    facts = [
        (_("Licence number"), licence.number),
        (_("Identifier"), licence.identifier),
        (_("Holder"), f"{licence.holder_name} {licence.holder_code_masked}".strip()),
        (_("Issued by"), licence.issuer_name),
        (_("Issued on"), licence.issued_on.isoformat()),
        (_("Valid from"), licence.valid_from.isoformat()),
        (_("Valid until"), until),
    ]
    if status != LicenceStatus.VALID:
        facts.append((_("Status"), str(LicenceStatus(status).label)))
    return {
        "title": translate_text(licence.licence_type.name, licence.licence_type.name_i18n),
        "facts": facts,
        "face": licence_face(licence),
        "face_heading": _("On the licence"),
        "verify_url": licence_verification_url(licence),
        "identifier": licence.identifier,
        "footer": _(
            "Printed from the e-licence. Scan the code or open the address under it to see "
            "whether the licence is valid now."
        ),
    }


def presentation_url(text: str) -> str:
    """Where a presentation is checked: the verification page with the presentation in the
    fragment, which browsers never send to a server; the page's script posts it."""
    return f"{credentials.issuer_url()}/licences/verify/#p={text}"


def presentation_qr_svg(url: str) -> str:
    """The QR of a presentation link, error correction M: shown on a screen, not stamped on,
    and about a kilobyte long."""
    return str(
        segno.make(url, error="m").svg_inline(scale=3, dark="#000", light="#fff", omitsize=True)
    )


# The verification URL a printout carries in its metadata and over its QR (decision 0037).
_PRINTOUT_URL = re.compile(rb"/(?:URI|Subject) \((https?://[!-~]{1,400}?)\)")
MAX_PRINTOUT_BYTES = 5 * 2**20


def printout_qr_text(data: bytes) -> str:
    """The QR text of an uploaded printout, read from the PDF's metadata without parsing
    the document or decoding an image; "" when there is none (a scan, another document)."""
    if not data.startswith(b"%PDF-"):
        return ""
    match = _PRINTOUT_URL.search(data[:MAX_PRINTOUT_BYTES])
    return match.group(1).decode("ascii").replace("\\", "") if match else ""


def licence_face(licence: Licence) -> list[tuple[str, str]]:
    """The face fields in the type's order, as (label in the reader's language, value)."""
    layout = licence.licence_type.face_layout
    return [
        (translate_text(entry["label"], entry.get("label_i18n")), licence.face[entry["key"]])
        for entry in layout
        if entry["key"] in licence.face
    ]


def licence_effective_status(licence: Licence, today: date | None = None) -> str:
    """The status a verifier is told: a valid licence past its last day is expired even
    before the sweep marks it."""
    today = today or timezone.localdate()
    if (
        licence.status in (LicenceStatus.VALID, LicenceStatus.SUSPENDED)
        and licence.valid_until is not None
        and licence.valid_until < today
    ):
        return LicenceStatus.EXPIRED
    return licence.status


# --- Published keys and status lists -----------------------------------------------------------


def jwks() -> dict[str, Any]:
    return {"keys": [key.jwk for key in keys.signer().public_keys()]}


def issuer_metadata() -> dict[str, Any]:
    """SD-JWT VC issuer metadata (/.well-known/jwt-vc-issuer): the keys inline and by URI."""
    issuer = credentials.issuer_url()
    return {"issuer": issuer, "jwks_uri": f"{issuer}/.well-known/jwks.json", "jwks": jwks()}


def _status_cache_key(status_list_id: int) -> str:
    return f"licences:status-list:{status_list_id}:{keys.signer().current_kid}"


def status_list_forget(status_list_id: int | None = None) -> None:
    ids = (
        [status_list_id]
        if status_list_id is not None
        else list(StatusList.objects.values_list("pk", flat=True))
    )
    cache.delete_many([_status_cache_key(pk) for pk in ids])


def status_list_token(status_list_id: Any) -> str:
    """The signed status list (statuslist+jwt), cached for its ttl at most and forgotten
    when a licence on it changes status."""
    try:
        pk = int(status_list_id)
    except (TypeError, ValueError):
        raise NotFound(ErrorCode.LICENCE_NOT_FOUND, _("No such status list.")) from None
    cache_key = _status_cache_key(pk)
    token = cache.get(cache_key)
    if token is not None:
        return str(token)
    status_list = StatusList.objects.filter(pk=pk).first()
    if status_list is None:
        raise NotFound(ErrorCode.LICENCE_NOT_FOUND, _("No such status list."))
    flagged = [s for s, value in TOKEN_STATUS.items() if value != 0]
    rows = Licence.objects.filter(status_list=status_list, status__in=flagged).values_list(
        "status_index", "status"
    )
    ttl = settings.ONESTOP_LICENCE_STATUS_TTL
    token = statuslist.token_sign(
        uri=f"{credentials.issuer_url()}/licences/status/{pk}",
        size=status_list.size,
        bits=status_list.bits,
        statuses=((index, int(TOKEN_STATUS[status])) for index, status in rows),
        ttl=ttl,
    )
    cache.set(cache_key, token, ttl)
    return token


# --- Verification ----------------------------------------------------------------------------


@dataclass
class Verification:
    result: str
    reason: str = ""
    identifier: str = ""
    licence: dict[str, Any] = field(default_factory=dict)
    disclosed: dict[str, Any] = field(default_factory=dict)
    face: dict[str, Any] = field(default_factory=dict)
    replaced_by: str = ""


def _public(licence: Licence) -> dict[str, Any]:
    return {
        "identifier": licence.identifier,
        "type_code": licence.licence_type_code,
        "type_name": licence.licence_type.name,
        "number": licence.number,
        "issuer_name": licence.issuer_name,
        "issuer_code": licence.issuer_uscc,
        "valid_from": licence.valid_from.isoformat(),
        "valid_until": licence.valid_until.isoformat() if licence.valid_until else None,
    }


def _status_answer(licence: Licence, answer: Verification, today: date) -> Verification:
    status = licence_effective_status(licence, today)
    if status == LicenceStatus.SUPERSEDED:
        answer.result, answer.reason = VerifyResult.REVOKED, "superseded"
        successor = Licence.objects.filter(replaces=licence).values_list("identifier", flat=True)
        answer.replaced_by = successor.first() or ""
    elif status == LicenceStatus.REVOKED:
        answer.result, answer.reason = VerifyResult.REVOKED, licence.status_reason
    elif status == LicenceStatus.SUSPENDED:
        answer.result, answer.reason = VerifyResult.SUSPENDED, licence.status_reason
    elif status == LicenceStatus.EXPIRED:
        answer.result, answer.reason = VerifyResult.EXPIRED, "valid_until"
    else:
        answer.result = VerifyResult.VALID
    return answer


# What a verification reads of a licence and its type: the unique index finds it, and no
# sort or wide row is built for it (the API's p95 bound is 20 ms, decision 0037).
_VERIFY_FIELDS = (
    "identifier",
    "licence_type_code",
    "number",
    "issuer_name",
    "issuer_uscc",
    "valid_from",
    "valid_until",
    "status",
    "status_reason",
    "status_index",
    "licence_type__code",
    "licence_type__name",
)


def _licence_by_identifier(identifier: str) -> Licence | None:
    rows = (
        Licence.objects.select_related("licence_type")
        .only(*_VERIFY_FIELDS)
        .filter(identifier=identifier)
        .order_by()[:1]
    )
    return next(iter(rows), None)


def licence_verify_identifier(value: Any, *, now: datetime | None = None) -> Verification:
    """Verify by identifier: its check character first (invalid_licence_identifier), then
    the licence's status; nothing of the holder is shown."""
    now = now or timezone.now()
    parsed = identifier_parse(value if isinstance(value, str) else "")
    licence = _licence_by_identifier(str(parsed))
    if licence is None:
        return Verification(VerifyResult.UNKNOWN, "not_issued", identifier=str(parsed))
    answer = Verification(
        VerifyResult.VALID, identifier=licence.identifier, licence=_public(licence)
    )
    return _status_answer(licence, answer, timezone.localdate(now))


def licence_verify_credential(value: Any, *, now: datetime | None = None) -> Verification:
    """Verify an SD-JWT VC or a presentation of one (see `credentials.credential_read`)."""
    now = now or timezone.now()
    try:
        read = credentials.credential_read(value if isinstance(value, str) else "", now=now)
    except credentials.Rejected as rejected:
        return Verification(rejected.result, rejected.reason)
    try:
        identifier = str(identifier_parse(read.identifier))
    except DomainError:
        return Verification(VerifyResult.TAMPERED, "identifier")
    licence = _licence_by_identifier(identifier)
    if licence is None:
        # Signed by our key, yet no such licence: nothing to vouch for.
        return Verification(VerifyResult.UNKNOWN, "not_issued", identifier=identifier)
    status = read.payload.get("status", {}).get("status_list", {})
    if (
        read.payload.get("vct") != licence.licence_type.vct
        or status.get("idx") != licence.status_index
    ):
        return Verification(VerifyResult.TAMPERED, "claims", identifier=identifier)
    answer = Verification(
        VerifyResult.VALID,
        identifier=identifier,
        licence=_public(licence),
        disclosed=read.disclosed,
        face=read.face,
    )
    answer = _status_answer(licence, answer, timezone.localdate(now))
    if answer.result == VerifyResult.VALID and read.lapse:
        # The credential's own window (exp, nbf) binds even where the record would not.
        # Not yet valid is told as expired, with its own reason.
        answer.result = VerifyResult.EXPIRED
        answer.reason = "exp" if read.lapse == "expired" else "not_yet_valid"
        if read.lapse == "expired" and read.is_presentation:
            # The holder's presentation ran out, not (necessarily) the licence.
            answer.reason = "presentation_expired"
            answer.disclosed, answer.face = {}, {}
    return answer


def licence_verify_qr(value: Any, *, now: datetime | None = None) -> Verification:
    """Verify what a licence's QR code says: its verification URL (decision 0029) or a
    credential pasted as QR text."""
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > credentials.MAX_CREDENTIAL_CHARS:
        return Verification(VerifyResult.TAMPERED, "malformed")
    parts = urlsplit(text) if "~" not in text or "#p=" in text else None
    if parts is not None and parts.fragment.startswith("p=") and parts.scheme:
        # A presentation link (decision 0037): the presentation is in the fragment.
        if f"{parts.scheme}://{parts.netloc}" != credentials.issuer_url():
            return Verification(VerifyResult.UNKNOWN_ISSUER, "issuer")
        text = unquote(parts.fragment[2:])
        parts = None
    if parts is None or text.startswith("eyJ"):
        # A credential or a presentation (a JWT's header starts {" in base64url), whole
        # or cut short.
        return licence_verify_credential(text, now=now)
    identifier = parse_qs(parts.query).get("id", [""])[0] if parts.query else text
    if parts.scheme and f"{parts.scheme}://{parts.netloc}" != credentials.issuer_url():
        return Verification(VerifyResult.UNKNOWN_ISSUER, "issuer")
    return licence_verify_identifier(identifier, now=now)


def licence_verify(
    *, credential: str | None = None, qr: str | None = None, identifier: str | None = None
) -> Verification:
    """Verify whichever one of the three was given (verify_input if not exactly one)."""
    given = [value for value in (credential, qr, identifier) if value]
    if len(given) != 1:
        raise DomainError(
            ErrorCode.VERIFY_INPUT,
            _("Give exactly one of a credential, a QR code's text or an identifier."),
        )
    if credential:
        return licence_verify_credential(credential)
    if qr:
        return licence_verify_qr(qr)
    return licence_verify_identifier(identifier)
