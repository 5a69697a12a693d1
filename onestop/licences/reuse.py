"""Reuse instead of paper (用证) and reading by a department (decision 0036).

- A case's material that a licence type can replace is provided by the applicant's valid
  licence of that type: `licence_use` checks the licence (it exists, is valid, is the
  applicant's, is of a type the material accepts) and files an annotated copy (加注件,
  `LicenceUse`) naming who used it, for which case and why, and until when it serves.
- A department reads an applicant's licences for an item it handles (its legal function,
  依职能查验: the item's department, the licence types the item's materials accept),
  `licences_lookup`; outside its function only with the holder's one-time authorisation
  code (用证码), which the holder makes in the wallet (`use_code_create`) and the department
  enters once (`licence_read_with_code`). Every read is audited and on the licence's
  timeline, so the holder sees who read it.

Cases (above) reaches these through `services` and `selectors`, which re-export them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.catalog import selectors as catalog
from onestop.core import pii
from onestop.core.access import Actor, Place
from onestop.core.audit import audit_record
from onestop.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from onestop.core.ids import normalize_resident_id, normalize_uscc
from onestop.core.service import audited
from onestop.identity import selectors as identity
from onestop.licences.enums import (
    LICENCE,
    ErrorCode,
    HolderCodeType,
    LicenceAction,
    LicenceStatus,
)
from onestop.licences.identifiers import identifier_parse
from onestop.licences.models import Licence, LicenceEvent, LicenceType, LicenceUse, UseCode
from onestop.licences.policies import RULES, Perm

if TYPE_CHECKING:
    from collections.abc import Iterable

# An annotated copy serves this long after it is filed, or until the licence's last day.
USE_VALID_DAYS = 90
# The one-time code: letters and digits that are not mistaken for one another.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 8
CODE_MINUTES_DEFAULT = 10
CODE_MINUTES_MAX = 60
MAX_TEXT = 300


# --- Reads -------------------------------------------------------------------------------------


def licence_types_for_material(name: str, e_licence_type: str = "") -> list[LicenceType]:
    """The licence types that can stand in for a material: the type the catalog names in
    the material (`e_licence_type`, by name or code), and those whose catalog entry lists
    the material's name or that type among the materials they replace."""
    wanted = {value.strip() for value in (name, e_licence_type) if value and value.strip()}
    if not wanted:
        return []
    return [
        licence_type
        for licence_type in LicenceType.objects.filter(is_active=True).order_by("code")
        if e_licence_type in (licence_type.name, licence_type.code)
        or wanted & set(licence_type.replaces_materials)
    ]


def _holder_q(person_id: int | None, enterprise_id: int | None) -> Q | None:
    """The licences of a person or an enterprise. A person's are also those issued to
    their resident ID before they registered (a back-issued paper licence has no person
    yet): the holder's code and the person's ID number share one blind index."""
    if person_id is not None:
        person = identity.person_get(person_id)
        return Q(holder_person_id=person_id) | Q(
            holder_person__isnull=True,
            holder_enterprise__isnull=True,
            holder_code_type=HolderCodeType.RESIDENT_ID,
            holder_code_index=person.id_number_index,
        )
    if enterprise_id is not None:
        return Q(holder_enterprise_id=enterprise_id)
    return None


def _usable(licence: Licence, today: date) -> bool:
    from onestop.licences.selectors import licence_effective_status

    return licence_effective_status(licence, today) == LicenceStatus.VALID


def licences_offered(
    *,
    person_id: int | None,
    enterprise_id: int | None,
    types: Iterable[LicenceType],
    today: date | None = None,
) -> list[Licence]:
    """The applicant's valid licences of `types`, newest first: what an application
    offers (and takes by default) instead of an upload. The caller (cases) has already
    established who the applicant is."""
    holder = _holder_q(person_id, enterprise_id)
    type_ids = [licence_type.pk for licence_type in types]
    if holder is None or not type_ids:
        return []
    today = today or timezone.localdate()
    rows = (
        Licence.objects.filter(holder, licence_type_id__in=type_ids, status=LicenceStatus.VALID)
        .select_related("licence_type")
        .order_by("-issued_on", "-pk")
    )
    return [licence for licence in rows if _usable(licence, today)]


def licence_uses_of_case(case_id: int) -> list[LicenceUse]:
    """The annotated copies filed in a case (the caller has checked who may read it)."""
    return list(LicenceUse.objects.filter(case_id=case_id).order_by("used_at", "pk"))


def licences_of_case(case_id: int) -> list[Licence]:
    """The licences a case's decision issued (the caller has checked who may read it)."""
    return list(Licence.objects.filter(case_id=case_id).select_related("licence_type"))


def licence_uses(licence: Licence) -> list[LicenceUse]:
    return list(licence.uses.order_by("-used_at", "-pk"))


def licence_uses_and_reads(licence: Licence, limit: int = 50) -> list[LicenceEvent]:
    """Where the licence was used instead of paper and which departments read it, newest
    first: what its holder is shown."""
    return list(
        licence.events.filter(action__in=[LicenceAction.USE, LicenceAction.READ])
        .select_related("actor")
        .order_by("-at", "-pk")[:limit]
    )


# --- Using a licence in a case -------------------------------------------------------------------


def _licence_by_identifier(identifier: str) -> Licence:
    parsed = identifier_parse(identifier.strip() if isinstance(identifier, str) else "")
    licence = (
        Licence.objects.select_related("licence_type", "department")
        .select_for_update(of=("self",))
        .filter(identifier=str(parsed))
        .first()
    )
    if licence is None:
        raise NotFound(ErrorCode.LICENCE_NOT_FOUND, _("No such licence."))
    return licence


def _text(value: str, what: str) -> str:
    text = " ".join((value or "").split())
    if not text or len(text) > MAX_TEXT:
        raise DomainError(
            ErrorCode.INVALID_REASON,
            _("%(what)s is required, at most %(max)d characters.")
            % {"what": what, "max": MAX_TEXT},
        )
    return text


@audited("licences.licence.use", timeline=True)
def licence_use(
    *,
    actor: Actor | None,
    identifier: str,
    case_id: int,
    case_label: str,
    material_name: str,
    e_licence_type: str = "",
    holder_person_id: int | None = None,
    holder_enterprise_id: int | None = None,
    purpose: str,
    now: datetime | None = None,
) -> LicenceUse:
    """File the licence with this identifier as an annotated copy (加注件) in a case, for
    one of its materials: refused unless it is the applicant's (`holder_*`, as the case
    names them), of a type that replaces the material, and valid today."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    licence = _licence_by_identifier(identifier)
    RULES.require(actor, Perm.USE, licence.place)
    holder = _holder_q(holder_person_id, holder_enterprise_id)
    if holder is None or not Licence.objects.filter(holder, pk=licence.pk).exists():
        raise DomainError(ErrorCode.LICENCE_NOT_HOLDERS, _("This licence is not the applicant's."))
    accepted = licence_types_for_material(material_name, e_licence_type)
    if licence.licence_type_id not in {licence_type.pk for licence_type in accepted}:
        raise DomainError(
            ErrorCode.LICENCE_WRONG_TYPE,
            _("A %(type)s cannot replace the material %(material)s.")
            % {"type": licence.licence_type.name, "material": material_name},
        )
    if not _usable(licence, today):
        raise Conflict(
            ErrorCode.LICENCE_NOT_USABLE,
            _("This licence is not valid today: it cannot be used."),
        )
    until = today + timedelta(days=USE_VALID_DAYS)
    if licence.valid_until is not None:
        until = min(until, licence.valid_until)
    use = LicenceUse.objects.create(
        licence=licence,
        case_id=case_id,
        case_label=" ".join(case_label.split())[:MAX_TEXT],
        material_name=" ".join(material_name.split())[:MAX_TEXT],
        purpose=_text(purpose, _("The purpose")),
        used_by_id=actor.pk if actor is not None else None,
        used_at=now,
        valid_until=until,
        identifier=licence.identifier,
        number=licence.number,
        type_name=licence.licence_type.name,
        face=dict(licence.face),
    )
    LICENCE.record(
        licence,
        action=LicenceAction.USE,
        actor=actor,
        at=now,
        reason=use.purpose,
        detail={"case_id": case_id, "use_id": use.pk, "valid_until": until.isoformat()},
    )
    return use


# --- Reading by a department ---------------------------------------------------------------------


def _holder_index(holder_code: str) -> str:
    """The blind index of a resident ID number or a USCC, whichever it is."""
    code = (holder_code or "").strip().upper()
    try:
        normalised = normalize_resident_id(code)
    except DomainError:
        try:
            normalised = normalize_uscc(code)
        except DomainError:
            raise DomainError(
                ErrorCode.HOLDER_MISMATCH,
                _("Enter the holder's resident ID number or unified social credit code."),
            ) from None
    return pii.blind_index(pii.PiiKind.RESIDENT_ID, normalised)


def _read(licence: Licence, actor: Actor | None, now: datetime, detail: dict[str, Any]) -> None:
    LICENCE.record(licence, action=LicenceAction.READ, actor=actor, at=now, detail=detail)


def item_licence_types(item: Any) -> list[LicenceType]:
    """The licence types an item accepts: those that replace one of its materials."""
    found: dict[int, LicenceType] = {}
    for material in item.materials.all():
        for licence_type in licence_types_for_material(material.name, material.e_licence_type):
            found[licence_type.pk] = licence_type
    return list(found.values())


@audited("licences.licence.lookup")
def licences_lookup(
    *,
    actor: Actor,
    item_key: str,
    holder_code: str,
    now: datetime | None = None,
) -> list[Licence]:
    """A department reads an applicant's licences for an item by its legal function
    (依职能查验): only the item's department, and only the licence types the item accepts.
    Outside its function: outside_legal_function, and nothing is read."""
    now = now or timezone.now()
    try:
        item = catalog.item_current(str(item_key or "").strip()[:64])
    except NotFound:
        raise NotFound(ErrorCode.OUTSIDE_FUNCTION, _("No such service item.")) from None
    place = Place(department_id=item.department_id)
    if item.department_id is None or not RULES.can(actor, Perm.LOOKUP, place):
        raise PermissionDenied(ErrorCode.OUTSIDE_FUNCTION, str(RULES.rules[Perm.LOOKUP].denied))
    index = _holder_index(holder_code)
    types = item_licence_types(item)
    licences = list(
        Licence.objects.filter(holder_code_index=index, licence_type__in=types)
        .select_related("licence_type")
        .order_by("licence_type__code", "-version", "-pk")
    )
    for licence in licences:
        _read(licence, actor, now, {"by": "legal_function", "item_key": item.item_key})
    audit_record(
        actor=actor,
        action="licences.licence.lookup",
        object_type="catalog.item",
        object_id=item.item_key,
        after={
            "item_key": item.item_key,
            "type_codes": [licence_type.code for licence_type in types],
            "found": [licence.identifier for licence in licences],
        },
    )
    return licences


def _digest(code: str) -> str:
    key = f"onestop.licences.use-code:{settings.SECRET_KEY}".encode()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def _code_clean(code: str) -> str:
    text = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(text) != CODE_LENGTH or set(text) - set(CODE_ALPHABET):
        return ""
    return text


@audited("licences.use_code.create")
def use_code_create(
    *,
    actor: Actor,
    licence_id: int,
    minutes: int = CODE_MINUTES_DEFAULT,
    now: datetime | None = None,
) -> tuple[UseCode, str]:
    """The holder makes a one-time authorisation code (用证码) for one of their licences,
    valid `minutes` (1 to 60) and for one read. The code is returned once: only its keyed
    hash is kept."""
    from onestop.licences.selectors import access_licence

    now = now or timezone.now()
    licence = access_licence(actor, licence_id, perm=Perm.USE_CODE)
    if licence.owner_person_id is None or licence.owner_person_id != actor.person_id:
        raise NotFound(ErrorCode.LICENCE_NOT_FOUND, _("No such licence."))
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        minutes = 0
    if not 1 <= minutes <= CODE_MINUTES_MAX:
        raise DomainError(
            ErrorCode.USE_CODE_MINUTES,
            _("A code is valid for 1 to %(max)d minutes.") % {"max": CODE_MINUTES_MAX},
        )
    code = "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))
    use_code = UseCode.objects.create(
        licence=licence,
        digest=_digest(code),
        created_by_id=actor.pk,
        created_at=now,
        expires_at=now + timedelta(minutes=minutes),
    )
    audit_record(
        actor=actor,
        action="licences.use_code.create",
        obj=use_code,
        after={"identifier": licence.identifier, "minutes": minutes},
    )
    return use_code, code


@audited("licences.licence.read", timeline=True)
def licence_read_with_code(*, actor: Actor, code: str, now: datetime | None = None) -> Licence:
    """A department reads the licence a holder's one-time code names: a wrong code, one
    past its minutes and one already used are each refused with their own error, and the
    code is spent only by a read that succeeds."""
    now = now or timezone.now()
    RULES.require(actor, Perm.READ_WITH_CODE)
    cleaned = _code_clean(code)
    use_code = (
        UseCode.objects.select_related("licence__licence_type")
        .filter(digest=_digest(cleaned))
        .first()
        if cleaned
        else None
    )
    if use_code is None:
        raise DomainError(ErrorCode.USE_CODE_INVALID, _("No such authorisation code."))
    if use_code.used_at is not None:
        raise Conflict(ErrorCode.USE_CODE_USED, _("This authorisation code has been used."))
    if use_code.expires_at <= now:
        raise Conflict(ErrorCode.USE_CODE_EXPIRED, _("This authorisation code has expired."))
    claimed = UseCode.objects.filter(pk=use_code.pk, used_at__isnull=True).update(
        used_at=now, used_by_id=actor.pk
    )
    if claimed != 1:
        raise Conflict(ErrorCode.USE_CODE_USED, _("This authorisation code has been used."))
    licence = use_code.licence
    _read(licence, actor, now, {"by": "use_code", "use_code_id": use_code.pk})
    return licence
