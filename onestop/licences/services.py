"""Every write of e-licences: the catalog of licence types, issuance, status changes, the
signing key. Each service runs in one transaction with its audit entry (and the licence's
timeline), checks the actor against `policies.RULES`, and changes nothing when refused.

Issuance signs the credential in the same transaction (the signer is local and fast; an
HSM signer would move signing after commit, see decision 0028). A status change takes
effect in the published status list at once: the cached list is forgotten on commit.

What cases (above) calls: `licence_issue` on a decision whose item produces a licence
(`selectors.licence_types_for_item`), with the case's id; `selectors.licences_replacing`
to offer the applicant's valid licence instead of an upload.
"""

from __future__ import annotations

import base64
import os
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.core import pii
from onestop.core.access import Actor
from onestop.core.audit import audit_record
from onestop.core.departments import department_get
from onestop.core.errors import Conflict, DomainError
from onestop.core.ids import normalize_resident_id, normalize_uscc
from onestop.core.service import audited, note_timeline
from onestop.identity import selectors as identity
from onestop.licences import credentials, keys, printout
from onestop.licences.enums import (
    LICENCE,
    AuthorityLevel,
    ErrorCode,
    FieldType,
    HolderCategory,
    HolderCodeType,
    LicenceAction,
    LicenceStatus,
)
from onestop.licences.identifiers import SERIAL_DIGITS, Identifier, type_code_check
from onestop.licences.models import (
    Licence,
    LicenceEvent,
    LicenceType,
    SerialCounter,
    StatusList,
)
from onestop.licences.policies import RULES, Perm
from onestop.licences.reuse import (  # re-exported: cases calls these here
    licence_read_with_code,  # noqa: F401
    licence_use,  # noqa: F401
    licences_lookup,  # noqa: F401
    use_code_create,  # noqa: F401
)
from onestop.licences.selectors import (
    access_licence,
    holder_licence,
    licence_print_content,
    licence_type_get,
    presentation_url,
    status_list_forget,
)

# Indices per status list: large enough that a list says little about any one holder,
# small enough to publish in a few kilobytes.
STATUS_LIST_SIZE = 100_000
STATUS_LIST_BITS = 2
_FIELD_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
MAX_FACE_VALUE = 500
MAX_REASON = 500
_CREDENTIAL_AAD = b"licences.credential"


# --- The catalog -----------------------------------------------------------------------------


def _layout_check(layout: Any) -> list[dict[str, Any]]:
    def bad(message: str) -> DomainError:
        return DomainError(ErrorCode.INVALID_LAYOUT, message)

    if not isinstance(layout, list) or not layout:
        raise bad(_("A licence type's face has at least one field."))
    seen: set[str] = set()
    checked = []
    for entry in layout:
        if not isinstance(entry, dict):
            raise bad(_("Each face field is an object with a key, a label and a type."))
        key, label = entry.get("key"), entry.get("label")
        if not isinstance(key, str) or not _FIELD_KEY.fullmatch(key) or key in seen:
            raise bad(_("The face field key %(key)s is not a new lower-case name.") % {"key": key})
        if not isinstance(label, str) or not label.strip():
            raise bad(_("The face field %(key)s has no label.") % {"key": key})
        if entry.get("type", FieldType.TEXT) not in FieldType.values:
            raise bad(_("The face field %(key)s has an unknown type.") % {"key": key})
        seen.add(key)
        checked.append(
            {
                "key": key,
                "label": label.strip(),
                "label_i18n": dict(entry.get("label_i18n") or {}),
                "type": entry.get("type", FieldType.TEXT),
                "required": bool(entry.get("required", True)),
            }
        )
    return checked


@audited("licences.licence_type.define")
def licence_type_define(
    *,
    actor: Actor | None,
    code: str,
    name: str,
    defining_authority: str,
    defining_authority_level: str,
    holder_category: str,
    validity_years: int | None,
    issuer_level: str,
    department_code: str,
    face_layout: list[dict[str, Any]],
    item_keys: list[str] | None = None,
    replaces_materials: list[str] | None = None,
    name_i18n: dict[str, str] | None = None,
) -> LicenceType:
    """Add a licence type to the catalog (GB/T 36902)."""
    RULES.require(actor, Perm.CATALOG)
    code = type_code_check(code)
    if LicenceType.objects.filter(code=code).exists():
        raise Conflict(ErrorCode.TYPE_EXISTS, _("A licence type with this code exists."))
    if holder_category not in HolderCategory.values:
        raise DomainError(ErrorCode.INVALID_LAYOUT, _("Unknown holder category."))
    if {defining_authority_level, issuer_level} - set(AuthorityLevel.values):
        raise DomainError(ErrorCode.INVALID_LAYOUT, _("Unknown authority level."))
    if validity_years is not None and not 1 <= validity_years <= 100:
        raise DomainError(
            ErrorCode.INVALID_VALIDITY, _("A validity is 1 to 100 years, or long-term.")
        )
    if not name.strip() or not defining_authority.strip():
        raise DomainError(
            ErrorCode.INVALID_LAYOUT, _("A licence type needs a name and an authority.")
        )
    licence_type = LicenceType.objects.create(
        code=code,
        name=name.strip(),
        name_i18n=dict(name_i18n or {}),
        defining_authority=defining_authority.strip(),
        defining_authority_level=defining_authority_level,
        holder_category=holder_category,
        validity_years=validity_years,
        issuer_level=issuer_level,
        department=department_get(department_code),
        face_layout=_layout_check(face_layout),
        item_keys=[str(k) for k in item_keys or []],
        replaces_materials=[str(m) for m in replaces_materials or []],
    )
    audit_record(
        actor=actor,
        action="licences.licence_type.define",
        obj=licence_type,
        after={"code": code, "department_id": licence_type.department_id},
    )
    return licence_type


# --- Issuance ----------------------------------------------------------------------------------


def _face_check(licence_type: LicenceType, face: Any) -> dict[str, str]:
    def bad(message: str, key: str = "") -> DomainError:
        return DomainError(ErrorCode.INVALID_FACE, message, field=key)

    if not isinstance(face, dict):
        raise bad(_("The face fields are an object of field keys and values."))
    layout = {entry["key"]: entry for entry in licence_type.face_layout}
    unknown = sorted(set(face) - set(layout))
    if unknown:
        raise bad(
            _("This licence type's face has no field %(key)s.") % {"key": unknown[0]}, unknown[0]
        )
    checked: dict[str, str] = {}
    for key, entry in layout.items():
        value = face.get(key)
        text = "" if value is None else str(value).strip()
        if not text:
            if entry["required"]:
                raise bad(
                    _("The face field %(label)s is required.") % {"label": entry["label"]}, key
                )
            continue
        if len(text) > MAX_FACE_VALUE or not isinstance(value, str | int):
            raise bad(_("The face field %(label)s is not valid.") % {"label": entry["label"]}, key)
        if entry["type"] == FieldType.DATE:
            try:
                text = date.fromisoformat(text).isoformat()
            except ValueError:
                raise bad(
                    _("The face field %(label)s is a date (YYYY-MM-DD).")
                    % {"label": entry["label"]},
                    key,
                ) from None
        if entry["type"] == FieldType.NUMBER:
            try:
                Decimal(text)
            except InvalidOperation:
                raise bad(
                    _("The face field %(label)s is a number.") % {"label": entry["label"]}, key
                ) from None
        checked[key] = text
    return checked


@dataclass(frozen=True)
class _Holder:
    name: str
    code: str
    code_type: str
    person: Any
    enterprise: Any
    owner_person_id: int | None


def _holder(
    licence_type: LicenceType, code: str, name: str, known: dict[str, Any] | None = None
) -> _Holder:
    """The holder, checked against the registered person or enterprise with that code;
    `known` (code → registered one) saves the lookup when the caller has looked many up."""
    name = " ".join((name or "").split())
    if not name or len(name) > 200:
        raise DomainError(ErrorCode.HOLDER_MISMATCH, _("The holder's name is required."))
    if licence_type.holder_category == HolderCategory.NATURAL_PERSON:
        code = normalize_resident_id(code)
        person = identity.person_find_by_id_number(code) if known is None else known.get(code)
        if person is not None and person.name != name:
            raise DomainError(
                ErrorCode.HOLDER_MISMATCH,
                _("The holder's name does not match the person registered with this ID number."),
            )
        return _Holder(
            name, code, HolderCodeType.RESIDENT_ID, person, None, person.pk if person else None
        )
    code = normalize_uscc(code)
    enterprise = identity.enterprise_find_by_uscc(code) if known is None else known.get(code)
    if enterprise is not None and enterprise.name != name:
        raise DomainError(
            ErrorCode.HOLDER_MISMATCH,
            _("The holder's name does not match the enterprise registered with this code."),
        )
    owner = enterprise.legal_representative_person_id if enterprise is not None else None
    return _Holder(name, code, HolderCodeType.USCC, None, enterprise, owner)


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _validity(
    licence_type: LicenceType,
    valid_from: date | None,
    valid_until: date | None,
    today: date | None = None,
) -> tuple[date, date | None]:
    start = valid_from or today or timezone.localdate()
    if valid_until is None and licence_type.validity_years is not None:
        valid_until = _years_later(start, licence_type.validity_years) - timedelta(days=1)
    if valid_until is not None and valid_until < start:
        raise DomainError(ErrorCode.INVALID_VALIDITY, _("A licence cannot end before it starts."))
    return start, valid_until


def _serial_next(type_code: str, issuer_uscc: str) -> int:
    counter, _created = SerialCounter.objects.get_or_create(
        type_code=type_code, issuer_uscc=issuer_uscc
    )
    # UPDATE … SET last = last + 1 locks the row: two issuers never get one serial.
    SerialCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    return SerialCounter.objects.values_list("last", flat=True).get(pk=counter.pk)


def _status_slot() -> tuple[StatusList, int]:
    status_list = (
        StatusList.objects.select_for_update()
        .filter(next_index__lt=F("size"))
        .order_by("pk")
        .first()
    )
    if status_list is None:
        status_list = StatusList.objects.create(size=STATUS_LIST_SIZE, bits=STATUS_LIST_BITS)
    index = status_list.next_index
    StatusList.objects.filter(pk=status_list.pk).update(next_index=F("next_index") + 1)
    return status_list, index


def credential_seal(text: str) -> str:
    """Seal a credential with the personal-data keys (core.pii's keyring): its disclosures
    hold the holder's code and face in clear."""
    ring = pii.keyring()
    nonce = os.urandom(12)
    sealed = AESGCM(ring.keys[ring.current_kid]).encrypt(nonce, text.encode(), _CREDENTIAL_AAD)
    return f"{ring.current_kid}${base64.b64encode(nonce + sealed).decode()}"


def _sign(licence: Licence, holder_code: str = "") -> None:
    licence_type = licence.licence_type
    holder_code = holder_code or pii.reveal(licence, "holder_code")
    data = credentials.CredentialInput(
        identifier=licence.identifier,
        vct=licence_type.vct,
        issued_on=licence.issued_on,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        status_uri=f"{credentials.issuer_url()}/licences/status/{licence.status_list_id}",
        status_index=licence.status_index,
        public={
            "licence_type": licence_type.name,
            "licence_number": licence.number,
            "issuer_name": licence.issuer_name,
            "issuer_code": licence.issuer_uscc,
            "valid_from": licence.valid_from.isoformat(),
            "valid_until": licence.valid_until.isoformat() if licence.valid_until else "",
        },
        holder={
            "holder_name": licence.holder_name,
            "holder_code_type": licence.holder_code_type,
            "holder_code": holder_code,
        },
        face=licence.face,
    )
    token, kid = credentials.credential_sign(data, keys.signer())
    licence.credential_sealed = credential_seal(token)
    licence.signing_kid = kid


def _create(
    *,
    licence_type: LicenceType,
    holder: _Holder,
    face: dict[str, str],
    valid_from: date,
    valid_until: date | None,
    issued_on: date,
    number: str,
    serial: str,
    version: int,
    replaces: Licence | None,
    case_id: int | None,
    sign_now: bool = True,
) -> Licence:
    department = licence_type.department
    identifier = Identifier(licence_type.code, department.uscc, serial, version)
    status_list, index = _status_slot()
    licence = Licence(
        licence_type=licence_type,
        licence_type_code=licence_type.code,
        identifier=str(identifier),
        number=number,
        serial=serial,
        version=version,
        department=department,
        issuer_name=department.name,
        issuer_uscc=department.uscc,
        issued_on=issued_on,
        valid_from=valid_from,
        valid_until=valid_until,
        holder_name=holder.name,
        holder_code_type=holder.code_type,
        holder_person=holder.person,
        holder_enterprise=holder.enterprise,
        owner_person_id=holder.owner_person_id,
        face=face,
        replaces=replaces,
        status_list=status_list,
        status_index=index,
        case_id=case_id,
    )
    pii.assign(licence, "holder_code", holder.code)
    if sign_now:
        _sign(licence, holder.code)
    licence.save()
    if not sign_now:
        _sign_after_commit(licence.pk)
    return licence


def _sign_after_commit(licence_id: int) -> None:
    # Imported here: the tasks module imports this one.
    from onestop.licences.tasks import licence_sign_task

    transaction.on_commit(lambda: licence_sign_task.enqueue(licence_id))


@audited("licences.licence.issue", timeline=True)
def licence_issue(
    *,
    actor: Actor | None,
    type_code: str,
    holder_code: str,
    holder_name: str,
    face: dict[str, Any],
    valid_from: date | None = None,
    valid_until: date | None = None,
    number: str = "",
    case_id: int | None = None,
    sign_after_commit: bool = False,
) -> Licence:
    """Issue a licence of the type to the holder (a resident ID number or a USCC, as the
    type's holder category says), by the type's department; a registered person or
    enterprise with that code must bear that name, and gets it in their wallet.

    `sign_after_commit` (a case's decision): the licence is stored in the caller's
    transaction without its credential, and signed by a task once that commits; whatever a
    crash leaves unsigned, `licences_sign_pending` signs (decision 0036)."""
    licence_type = licence_type_get(type_code)
    RULES.require(actor, Perm.ISSUE, licence_type.place)
    holder = _holder(licence_type, holder_code, holder_name)
    checked = _face_check(licence_type, face)
    start, end = _validity(licence_type, valid_from, valid_until)
    serial = f"{_serial_next(licence_type.code, licence_type.department.uscc):0{SERIAL_DIGITS}d}"
    number = number.strip()[:64] or f"{timezone.localdate():%Y}{licence_type.code[-3:]}{serial}"
    licence = _create(
        licence_type=licence_type,
        holder=holder,
        face=checked,
        valid_from=start,
        valid_until=end,
        issued_on=timezone.localdate(),
        number=number,
        serial=serial,
        version=1,
        replaces=None,
        case_id=case_id,
        sign_now=not sign_after_commit,
    )
    LICENCE.record(
        licence,
        action=LicenceAction.ISSUE,
        actor=actor,
        from_state="",
        detail={"case_id": case_id} if case_id is not None else None,
    )
    return licence


# How many unsigned licences one run of `licences_sign_pending` signs.
SIGN_BATCH = 500


@audited("licences.licence.sign", unless=lambda count: count == 0)
def licences_sign_pending(*, actor: Actor | None = None, licence_id: int | None = None) -> int:
    """Sign the licences stored without their credential (issued on a case's decision):
    the task enqueued when the decision commits, and the sweep that catches what a crash
    between the commit and the task left unsigned. Idempotent: a signed licence is left
    alone, so the task and the sweep may both run."""
    RULES.require(actor, Perm.ISSUE)
    rows = Licence.objects.select_related("licence_type").filter(credential_sealed="")
    if licence_id is not None:
        rows = rows.filter(pk=licence_id)
    signed = []
    for licence in rows.select_for_update(of=("self",)).order_by("pk")[:SIGN_BATCH]:
        _sign(licence)
        Licence.objects.filter(pk=licence.pk, credential_sealed="").update(
            credential_sealed=licence.credential_sealed, signing_kid=licence.signing_kid
        )
        signed.append(licence.identifier)
    if signed:
        audit_record(
            actor=actor,
            action="licences.licence.sign",
            object_type="licences.licence",
            after={"count": len(signed), "first": signed[0], "last": signed[-1]},
        )
    return len(signed)


# --- Bulk issuance (back-issue of paper licences) -------------------------------------------------

BULK_BATCH = 500


@dataclass(frozen=True)
class BulkRow:
    """One licence to issue in bulk: `line` is where it came from (a CSV line), for errors."""

    line: int
    holder_code: str
    holder_name: str
    face: dict[str, Any]
    valid_from: date | None = None
    valid_until: date | None = None
    number: str = ""


@dataclass
class BulkReport:
    issued: int = 0
    # (line, error code, message) of every row refused.
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)


def _serial_block(type_code: str, issuer_uscc: str, count: int) -> int:
    """The first of `count` consecutive serials, taken with one locking UPDATE."""
    counter, _created = SerialCounter.objects.get_or_create(
        type_code=type_code, issuer_uscc=issuer_uscc
    )
    SerialCounter.objects.filter(pk=counter.pk).update(last=F("last") + count)
    return SerialCounter.objects.values_list("last", flat=True).get(pk=counter.pk) - count + 1


def _status_slots(count: int) -> list[tuple[StatusList, int]]:
    slots: list[tuple[StatusList, int]] = []
    while len(slots) < count:
        status_list, first = _status_slot()
        take = min(count - len(slots), status_list.size - first)
        StatusList.objects.filter(pk=status_list.pk).update(next_index=first + take)
        slots.extend((status_list, first + n) for n in range(take))
    return slots


def _registered_holders(licence_type: LicenceType, rows: list[BulkRow]) -> dict[str, Any]:
    """The registered persons or enterprises of the rows' holder codes, looked up in one
    query per thousand rows instead of one per row."""
    natural = licence_type.holder_category == HolderCategory.NATURAL_PERSON
    normalise = normalize_resident_id if natural else normalize_uscc
    codes: list[str] = []
    for row in rows:
        try:
            codes.append(normalise(row.holder_code))
        except DomainError:
            continue  # reported with its line by _holder
    known: dict[str, Any] = {}
    for start in range(0, len(codes), 1000):
        chunk = codes[start : start + 1000]
        if natural:
            known.update(identity.persons_find_by_id_numbers(chunk))
        else:
            known.update(identity.enterprises_find_by_usccs(chunk))
    return known


@audited("licences.licence.issue_bulk", timeline=True, unless=lambda report: report.issued == 0)
def licence_issue_bulk(
    *, actor: Actor | None, type_code: str, rows: list[BulkRow], all_or_nothing: bool = False
) -> BulkReport:
    """Issue many licences of one type (a department's back-issue of its paper licences):
    every row is checked as `licence_issue` checks one, and each refused row is reported with
    its line and reason; the others are issued, or none if `all_or_nothing`. Each batch of
    BULK_BATCH licences is written with one audit entry naming them and a timeline row each."""
    licence_type = licence_type_get(type_code)
    RULES.require(actor, Perm.ISSUE, licence_type.place)
    report = BulkReport()
    checked: list[tuple[BulkRow, _Holder, dict[str, str], date, date | None]] = []
    known = _registered_holders(licence_type, rows)
    today = timezone.localdate()
    for row in rows:
        try:
            holder = _holder(licence_type, row.holder_code, row.holder_name, known)
            face = _face_check(licence_type, row.face)
            start, end = _validity(licence_type, row.valid_from, row.valid_until, today)
        except DomainError as exc:
            report.errors.append((row.line, exc.code, exc.message))
            continue
        checked.append((row, holder, face, start, end))
    if report.errors and all_or_nothing:
        return report
    department = licence_type.department
    now = timezone.now()
    for batch_start in range(0, len(checked), BULK_BATCH):
        batch = checked[batch_start : batch_start + BULK_BATCH]
        first = _serial_block(licence_type.code, department.uscc, len(batch))
        slots = _status_slots(len(batch))
        licences = []
        for n, ((row, holder, face, start, end), (status_list, index)) in enumerate(
            zip(batch, slots, strict=True)
        ):
            serial = f"{first + n:0{SERIAL_DIGITS}d}"
            licence = Licence(
                licence_type=licence_type,
                licence_type_code=licence_type.code,
                identifier=str(Identifier(licence_type.code, department.uscc, serial, 1)),
                number=row.number.strip()[:64] or f"{today:%Y}{licence_type.code[-3:]}{serial}",
                serial=serial,
                version=1,
                department=department,
                issuer_name=department.name,
                issuer_uscc=department.uscc,
                issued_on=today,
                valid_from=start,
                valid_until=end,
                holder_name=holder.name,
                holder_code_type=holder.code_type,
                holder_person=holder.person,
                holder_enterprise=holder.enterprise,
                owner_person_id=holder.owner_person_id,
                face=face,
                status_list=status_list,
                status_index=index,
            )
            pii.assign(licence, "holder_code", holder.code)
            _sign(licence, holder.code)
            licences.append(licence)
        Licence.objects.bulk_create(licences)
        # bulk_create sets primary keys on PostgreSQL and SQLite 3.35+ (RETURNING).
        LicenceEvent.objects.bulk_create(
            LicenceEvent(
                licence=licence,
                action=LicenceAction.ISSUE,
                from_status="",
                to_status=LicenceStatus.VALID,
                actor_id=actor.pk if actor is not None else None,
                at=now,
                detail={"bulk": True},
            )
            for licence in licences
        )
        note_timeline()
        audit_record(
            actor=actor,
            action="licences.licence.issue_bulk",
            object_type="licences.licence",
            after={
                "type_code": licence_type.code,
                "count": len(licences),
                "first": licences[0].identifier,
                "last": licences[-1].identifier,
            },
        )
        report.issued += len(licences)
        report.identifiers.extend(licence.identifier for licence in licences)
    return report


# --- Status changes ------------------------------------------------------------------------------


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason or len(reason) > MAX_REASON:
        raise DomainError(
            ErrorCode.INVALID_REASON,
            _("Give a reason of at most %(max)d characters.") % {"max": MAX_REASON},
        )
    return reason


def _published(licence: Licence) -> None:
    status_list_id = licence.status_list_id
    transaction.on_commit(lambda: status_list_forget(status_list_id))


def _status_move(
    actor: Actor | None, licence_id: int, *, to: str, action: str, reason: str, told: str
) -> Licence:
    """Move a licence to a status (`told`: the reason verifiers are given) and republish
    its status list once the move commits."""
    licence = access_licence(actor, licence_id, perm=Perm.MANAGE, for_update=True)
    LICENCE.move(
        licence,
        to=to,
        action=action,
        actor=actor,
        reason=reason,
        fields={"status_reason": told, "updated_at": timezone.now()},
    )
    _published(licence)
    return licence


@audited("licences.licence.suspend", timeline=True)
def licence_suspend(*, actor: Actor | None, licence_id: int, reason: str) -> Licence:
    """Suspend (暂扣) a licence: verifiers are told it is suspended until it is reinstated."""
    reason = _reason(reason)
    return _status_move(
        actor,
        licence_id,
        to=LicenceStatus.SUSPENDED,
        action=LicenceAction.SUSPEND,
        reason=reason,
        told=reason,
    )


@audited("licences.licence.reinstate", timeline=True)
def licence_reinstate(*, actor: Actor | None, licence_id: int, note: str = "") -> Licence:
    return _status_move(
        actor,
        licence_id,
        to=LicenceStatus.VALID,
        action=LicenceAction.REINSTATE,
        reason=note[:MAX_REASON],
        told="",
    )


@audited("licences.licence.revoke", timeline=True)
def licence_revoke(*, actor: Actor | None, licence_id: int, reason: str) -> Licence:
    """Revoke (吊销 / 注销) a licence, for good, with the reason verifiers are told."""
    reason = _reason(reason)
    return _status_move(
        actor,
        licence_id,
        to=LicenceStatus.REVOKED,
        action=LicenceAction.REVOKE,
        reason=reason,
        told=reason,
    )


def _replace(
    *,
    actor: Actor | None,
    licence_id: int,
    face: dict[str, Any] | None,
    holder_name: str | None,
    valid_from: date | None,
    valid_until: date | None,
    why: str,
) -> Licence:
    old = access_licence(actor, licence_id, perm=Perm.MANAGE, for_update=True)
    LICENCE.check(old, LicenceStatus.SUPERSEDED)
    if old.version >= 999:
        raise Conflict(ErrorCode.INVALID_VALIDITY, _("This licence has no versions left."))
    licence_type = old.licence_type
    holder = _holder(licence_type, pii.reveal(old, "holder_code"), holder_name or old.holder_name)
    checked = _face_check(licence_type, {**old.face, **(face or {})})
    if valid_from is None and valid_until is None:
        start, end = old.valid_from, old.valid_until
    else:
        start, end = _validity(licence_type, valid_from, valid_until)
    new = _create(
        licence_type=licence_type,
        holder=holder,
        face=checked,
        valid_from=start,
        valid_until=end,
        issued_on=timezone.localdate(),
        number=old.number,
        serial=old.serial,
        version=old.version + 1,
        replaces=old,
        case_id=old.case_id,
    )
    LICENCE.move(
        old,
        to=LicenceStatus.SUPERSEDED,
        action=LicenceAction.SUPERSEDE,
        actor=actor,
        reason=why,
        detail={"replaced_by": new.identifier},
        fields={"status_reason": why, "updated_at": timezone.now()},
    )
    LICENCE.record(
        new,
        action=LicenceAction.ISSUE,
        actor=actor,
        from_state="",
        detail={"replaces": old.identifier},
    )
    _published(old)
    return new


@audited("licences.licence.issue", "licences.licence.supersede", timeline=True)
def licence_renew(
    *,
    actor: Actor | None,
    licence_id: int,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> Licence:
    """Renew (延续) a licence: a new version with a new validity (from today, for the type's
    term, unless given) replaces it."""
    return _replace(
        actor=actor,
        licence_id=licence_id,
        face=None,
        holder_name=None,
        valid_from=valid_from or timezone.localdate(),
        valid_until=valid_until,
        why="renewed",
    )


@audited("licences.licence.issue", "licences.licence.supersede", timeline=True)
def licence_change(
    *,
    actor: Actor | None,
    licence_id: int,
    face: dict[str, Any],
    holder_name: str | None = None,
) -> Licence:
    """Change (变更) a licence's face (and the holder's name): a new version with the same
    validity replaces it."""
    return _replace(
        actor=actor,
        licence_id=licence_id,
        face=face,
        holder_name=holder_name,
        valid_from=None,
        valid_until=None,
        why="changed",
    )


@audited("licences.licence.expire", timeline=True, unless=lambda count: count == 0)
def licences_expire(*, actor: Actor | None = None, today: date | None = None) -> int:
    """Mark the licences whose validity has ended as expired (an idempotent sweep)."""
    RULES.require(actor, Perm.MANAGE)
    today = today or timezone.localdate()
    lapsed = Licence.objects.filter(
        status__in=[LicenceStatus.VALID, LicenceStatus.SUSPENDED], valid_until__lt=today
    ).order_by("pk")
    count = 0
    for licence in lapsed.select_for_update()[:1000]:
        LICENCE.move(licence, to=LicenceStatus.EXPIRED, action=LicenceAction.EXPIRE, actor=actor)
        count += 1
    return count


# --- The holder's printout and presentations ----------------------------------------------------

# How long a presentation may be accepted: the wallet offers an hour, a day and a week.
PRESENTATION_LIFETIMES = (3600, 86400, 7 * 86400)
DISCLOSABLE_HOLDER_CLAIMS = credentials.HOLDER_CLAIMS


@dataclass(frozen=True)
class Printout:
    licence: Licence
    pdf: bytes


@audited("licences.licence.print")
def licence_printout(*, actor: Actor | None, licence_id: Any) -> Printout:
    """The holder's printable licence (PDF with its QR, decision 0037). Only the holder (or
    the holding enterprise's representative) prints it; each printout is audited."""
    licence = holder_licence(actor, licence_id)
    pdf = printout.licence_pdf(**licence_print_content(licence))
    audit_record(
        actor=actor,
        action="licences.licence.print",
        obj=licence,
        after={"identifier": licence.identifier, "bytes": len(pdf)},
    )
    return Printout(licence, pdf)


@dataclass(frozen=True)
class Presentation:
    licence: Licence
    text: str
    url: str
    disclosed: tuple[str, ...]
    expires_at: Any


@audited("licences.licence.present")
def licence_present(
    *, actor: Actor | None, licence_id: Any, disclose: list[str], lifetime: int
) -> Presentation:
    """A presentation of the holder's licence with only the chosen claims (holder claims by
    name, face fields as `face.<key>`), accepted for `lifetime` seconds (one of
    PRESENTATION_LIFETIMES) and never past the licence's validity (decision 0037). Nothing
    is stored but the audit entry: the presentation is a signed, self-contained token."""
    licence = holder_licence(actor, licence_id)
    if lifetime not in PRESENTATION_LIFETIMES:
        raise DomainError(
            ErrorCode.INVALID_PRESENTATION, _("Choose how long the presentation is accepted.")
        )
    face_keys = {entry["key"] for entry in licence.licence_type.face_layout}
    chosen = {str(name) for name in disclose}
    allowed = set(DISCLOSABLE_HOLDER_CLAIMS) | {f"face.{key}" for key in face_keys}
    if not chosen or chosen - allowed:
        raise DomainError(
            ErrorCode.INVALID_PRESENTATION,
            _("Choose at least one of the licence's fields to show."),
        )
    now = timezone.now()
    expires_at = now + timedelta(seconds=lifetime)
    holder = {
        "holder_name": licence.holder_name,
        "holder_code_type": licence.holder_code_type,
        "holder_code": pii.reveal(licence, "holder_code"),
    }
    data = credentials.PresentationInput(
        identifier=licence.identifier,
        vct=licence.licence_type.vct,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        status_uri=f"{credentials.issuer_url()}/licences/status/{licence.status_list_id}",
        status_index=licence.status_index,
        public={"licence_type": licence.licence_type.name, "licence_number": licence.number},
        holder={name: value for name, value in holder.items() if name in chosen},
        face={key: value for key, value in licence.face.items() if f"face.{key}" in chosen},
        issued_at=now,
        expires_at=expires_at,
    )
    text = credentials.presentation_sign(data, keys.signer())
    audit_record(
        actor=actor,
        action="licences.licence.present",
        obj=licence,
        after={
            "identifier": licence.identifier,
            "disclosed": sorted(chosen),
            "expires_at": expires_at.isoformat(),
        },
    )
    return Presentation(licence, text, presentation_url(text), tuple(sorted(chosen)), expires_at)


# --- Keys --------------------------------------------------------------------------------------


@audited("licences.signing_key.rotate")
def signing_key_rotate(*, actor: Actor | None) -> str:
    """Make a new signing key current; licences signed with the older keys stay verifiable
    (their keys stay in the JWKS)."""
    RULES.require(actor, Perm.KEYS)
    previous = keys.signer().current_kid
    kid = keys.signer().rotate()
    audit_record(
        actor=actor,
        action="licences.signing_key.rotate",
        object_type="licences.signing_key",
        object_id=kid,
        after={"kid": kid, "previous": previous},
    )
    transaction.on_commit(status_list_forget)
    return kid
