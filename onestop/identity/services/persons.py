"""Writes to persons (自然人): registering one, correcting contact details, recording how
their real name was verified. Identifiers are validated, sealed through the PII vault and
never written or audited in plaintext."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from onestop.core import pii
from onestop.core.audit import audit_record
from onestop.core.errors import Conflict, DomainError
from onestop.core.ids import normalize_resident_id, resident_id_birth_date, resident_id_sex
from onestop.core.models import Region
from onestop.core.pii import PiiKind
from onestop.identity import policies
from onestop.identity.enums import ErrorCode, RealNameLevel
from onestop.identity.models import Person
from onestop.identity.policies import Permission
from onestop.identity.selectors import access_person, person_summary
from onestop.identity.values import normalize_name, normalize_phone, normalize_social_security_no


def _level(value: Any) -> RealNameLevel:
    try:
        return RealNameLevel(int(value))
    except (TypeError, ValueError):
        raise DomainError(
            ErrorCode.INVALID_REAL_NAME_LEVEL,
            _("The real-name level must be 0, 1 or 2."),
        ) from None


def _duplicate(field: str) -> Conflict:
    if field == "id_number":
        return Conflict(
            ErrorCode.DUPLICATE_PERSON,
            _("A person with this resident ID number is already registered."),
            field=field,
        )
    if field == "phone":
        return Conflict(
            ErrorCode.DUPLICATE_PHONE,
            _("Another person is registered with this mobile number."),
            field=field,
        )
    return Conflict(
        ErrorCode.DUPLICATE_SOCIAL_SECURITY_NO,
        _("Another person is registered with this social-security card number."),
        field=field,
    )


def _check_free(values: dict[str, str | None], *, exclude_pk: int | None = None) -> None:
    """Conflict if another person already holds one of these identifiers."""
    for field, value in values.items():
        if not value:
            continue
        kind = Person.PII_FIELDS[field]
        others = Person.objects.filter(**{f"{field}_index": pii.blind_index(kind, value)})
        if exclude_pk is not None:
            others = others.exclude(pk=exclude_pk)
        if others.exists():
            raise _duplicate(field)


def _save(person: Person, values: dict[str, str | None], **save_options: Any) -> None:
    # A concurrent registration can pass the check; the unique indexes decide. The savepoint
    # keeps the caller's transaction usable, so the conflict is reported, not a broken one.
    try:
        with transaction.atomic():
            person.save(**save_options)
    except IntegrityError:
        _check_free(values, exclude_pk=person.pk)
        raise


def person_register(
    *,
    actor: Any,
    name: str,
    id_number: str,
    phone: str | None = None,
    social_security_no: str | None = None,
    real_name_level: int = RealNameLevel.ID_CHECKED,
    region: Region | None = None,
) -> Person:
    """Register a natural person. Sex and birth date come from the resident ID number."""
    policies.RULES.require(actor, Permission.PERSON_REGISTER)
    name = normalize_name(name)
    id18 = normalize_resident_id(id_number)
    values = {
        "id_number": id18,
        "phone": normalize_phone(phone) if phone else None,
        "social_security_no": (
            normalize_social_security_no(social_security_no) if social_security_no else None
        ),
    }
    level = _level(real_name_level)
    with transaction.atomic():
        _check_free(values)
        person = Person(
            name=name,
            sex=resident_id_sex(id18),
            birth_date=resident_id_birth_date(id18),
            real_name_level=level,
            region=region,
        )
        for field, value in values.items():
            pii.assign(person, field, value)
        _save(person, values, force_insert=True)
        audit_record(
            actor=actor, action="person.register", obj=person, after=person_summary(person)
        )
    return person


def person_update_contact(*, actor: Any, person_id: int, phone: str | None) -> Person:
    """Set or clear a person's mobile number (the one citizens sign in with)."""
    new_phone = normalize_phone(phone) if phone else None
    with transaction.atomic():
        person = access_person(actor, person_id, for_update=True)
        policies.RULES.require(actor, Permission.PERSON_UPDATE_CONTACT, person.place)
        before = {"phone": person.phone_masked}
        if new_phone and person.phone_index == pii.blind_index(PiiKind.PHONE, new_phone):
            return person
        _check_free({"phone": new_phone}, exclude_pk=person.pk)
        pii.assign(person, "phone", new_phone)
        _save(
            person,
            {"phone": new_phone},
            update_fields=["phone_sealed", "phone_index", "phone_masked"],
        )
        audit_record(
            actor=actor,
            action="person.update_contact",
            obj=person,
            before=before,
            after={"phone": person.phone_masked},
        )
    return person


def person_set_real_name_level(
    *, actor: Any, person_id: int, level: int, reason: str = ""
) -> Person:
    """Record how far the person's identity was verified (at a counter, the card was
    checked against the person in front of the clerk)."""
    new_level = _level(level)
    with transaction.atomic():
        person = access_person(actor, person_id, for_update=True)
        policies.RULES.require(actor, Permission.PERSON_SET_REAL_NAME_LEVEL, person.place)
        before = person.real_name_level
        if before == new_level:
            return person
        person.real_name_level = new_level
        person.save(update_fields=["real_name_level"])
        audit_record(
            actor=actor,
            action="person.set_real_name_level",
            obj=person,
            before={"real_name_level": before},
            after={"real_name_level": int(new_level)},
            reason=reason[:500],
        )
    return person
