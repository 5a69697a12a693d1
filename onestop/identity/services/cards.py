"""Knowing a person by their card at a kiosk or window (一卡).

`person_identify_by_card` finds the holder of a card and refuses a card nobody holds.
`person_from_card` is what a hall does with a card: in a real hall the card is the identity,
so a valid resident ID card (or a social-security card whose chip gives its holder's ID
number) seen for the first time registers its holder from what the card holds, and the
visit goes on. A social-security card number alone says nothing about who holds it and is
refused as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.core import pii
from onestop.core.access import Actor
from onestop.core.audit import audit_record
from onestop.core.errors import Conflict, NotFound, ThrottledError
from onestop.core.ids import resident_id_birth_date, resident_id_sex
from onestop.core.models import AuditEntry
from onestop.core.pii import PiiKind
from onestop.core.service import audited
from onestop.identity import policies
from onestop.identity.card_reader import RESIDENT_ID, CardRead, card_reader
from onestop.identity.enums import ErrorCode, RealNameLevel, SignInMethod
from onestop.identity.models import Person
from onestop.identity.policies import Permission
from onestop.identity.selectors import person_summary
from onestop.identity.services.persons import _save
from onestop.identity.services.throttle import (
    client_ip,
    failure_record,
    signin_lock,
    signin_subject,
    throttled_error,
)
from onestop.identity.values import NAME_MAX_LENGTH, normalize_name

# ONESTOP_CARD_REGISTRATIONS_PER_HOUR: how many people one kiosk or clerk may register from
# cards in an hour. A busy kiosk sees a few dozen newcomers an hour; a run of typed numbers
# is stopped.
REGISTER_ACTION = "person.register_from_card"


@dataclass(frozen=True)
class CardHolder:
    person: Person
    # The card was seen for the first time and its holder registered from it.
    registered: bool


def _subject(device: Actor | None, address: str) -> str:
    # A kiosk is counted by its device account, a browser by its address; a call from a
    # shell has neither and is not throttled.
    key = f"device:{device.pk}" if device is not None and device.pk else address
    return signin_subject(SignInMethod.CARD, "reader", key) if key else ""


def _check_throttle(subject: str, address: str) -> None:
    lock = signin_lock(subject=subject, ip=address, account_wide=False) if subject else None
    if lock is not None:
        raise throttled_error(lock.retry_after)


def _holder(read: CardRead) -> Person | None:
    if read.kind == RESIDENT_ID:
        index = pii.blind_index(PiiKind.RESIDENT_ID, read.number)
        return Person.objects.filter(id_number_index=index).first()
    index = pii.blind_index(PiiKind.SOCIAL_SECURITY_NO, read.number)
    found = Person.objects.filter(social_security_no_index=index).first()
    if found is None and read.holder_id_number:
        index = pii.blind_index(PiiKind.RESIDENT_ID, read.holder_id_number)
        found = Person.objects.filter(id_number_index=index).first()
    return found


def _audit_read(
    *, device: Actor | None, read: CardRead, person: Person | None, registered: bool = False
) -> None:
    kind = PiiKind.RESIDENT_ID if read.kind == RESIDENT_ID else PiiKind.SOCIAL_SECURITY_NO
    after = {
        "card": read.kind,
        "number": pii.mask(kind, read.number),
        "found": person is not None and not registered,
    }
    if registered:
        after["registered"] = True
    audit_record(
        actor=device,
        action="person.identify_by_card",
        obj=person,
        object_type="identity.person",
        after=after,
    )


def _unknown() -> NotFound:
    return NotFound(
        ErrorCode.CARD_UNKNOWN,
        _("This card is not registered. Please ask at a window."),
    )


def person_identify_by_card(
    *, raw: str, device: Actor | None = None, ip: str | None = None
) -> Person:
    """The person whose card was read. card_unreadable (422) when the reader cannot make
    sense of it, card_unknown (404) when no one holds it.

    Unknown cards count as sign-in failures of the address, so a kiosk page cannot be used
    to test ID numbers one after another. Each identification is audited, with the device
    (a machine account) as the actor when there is one.
    """
    address = client_ip(ip)
    subject = _subject(device, address)
    _check_throttle(subject, address)
    read = card_reader().read(raw)
    person = _holder(read)
    with transaction.atomic():
        if person is None and subject:
            failure_record(subject=subject, ip=address)
        _audit_read(device=device, read=read, person=person)
    if person is None:
        raise _unknown()
    return person


def _card_name(read: CardRead) -> str:
    """The holder's name as the chip gives it, or "" when the reader gave none (a typed
    number): the clerk completes it at the window."""
    if not read.name.strip():
        return ""
    return normalize_name(read.name, max_length=NAME_MAX_LENGTH)


def _registrations_left(actor: Actor) -> bool:
    limit = int(settings.ONESTOP_CARD_REGISTRATIONS_PER_HOUR)
    since = timezone.now() - timedelta(hours=1)
    done = AuditEntry.objects.filter(
        action=REGISTER_ACTION, actor_id=actor.pk, created_at__gte=since
    ).count()
    return done < limit


@audited(REGISTER_ACTION)
def person_register_from_card(*, actor: Actor, read: CardRead) -> Person:
    """Register the holder of a card seen for the first time, from what the card holds:
    the resident ID number (sex and birth date follow from it), the social-security card
    number when that was the card, and the name when the reader gave one. The person is
    unverified until a clerk checks the card against them (`person_set_real_name_level`).
    Conflict (duplicate_person) when someone holds the number already."""
    policies.RULES.require(actor, Permission.PERSON_REGISTER_FROM_CARD)
    id18 = read.resident_id
    if not id18:
        raise _unknown()
    if not _registrations_left(actor):
        raise ThrottledError(
            ErrorCode.CARD_REGISTRATIONS_THROTTLED,
            _("Many new cards have been registered here in the last hour. Please ask at a window."),
            retry_after=3600,
        )
    values: dict[str, str | None] = {
        "id_number": id18,
        "social_security_no": read.number if read.kind != RESIDENT_ID else None,
    }
    person = Person(
        name=_card_name(read),
        sex=resident_id_sex(id18),
        birth_date=resident_id_birth_date(id18),
        real_name_level=RealNameLevel.UNVERIFIED,
    )
    for field, value in values.items():
        pii.assign(person, field, value)
    _save(person, values, force_insert=True)
    audit_record(
        actor=actor,
        action=REGISTER_ACTION,
        obj=person,
        after=person_summary(person) | {"card": read.kind},
    )
    return person


def person_from_card(*, raw: str, device: Actor, ip: str | None = None) -> CardHolder:
    """The holder of the card read at a kiosk or window, registered on first sight when the
    card tells who they are (a resident ID card; a social-security card whose reader gives
    the holder's ID number). card_unreadable (422) for what is not a valid card,
    card_unknown (404) for a social-security card number nobody holds, throttled (429) for
    a device reading unknown cards or registering newcomers faster than a hall does.
    Every read is audited with the device as the actor."""
    address = client_ip(ip)
    subject = _subject(device, address)
    _check_throttle(subject, address)
    read = card_reader().read(raw)
    person = _holder(read)
    if person is not None:
        with transaction.atomic():
            _audit_read(device=device, read=read, person=person)
        return CardHolder(person=person, registered=False)
    if not read.resident_id:
        with transaction.atomic():
            if subject:
                failure_record(subject=subject, ip=address)
            _audit_read(device=device, read=read, person=None)
        raise NotFound(
            ErrorCode.CARD_UNKNOWN,
            _(
                "This social-security card is not registered yet. Please use your resident "
                "ID card, or ask at a window."
            ),
        )
    try:
        with transaction.atomic():
            person = person_register_from_card(actor=device, read=read)
            _audit_read(device=device, read=read, person=person, registered=True)
    except Conflict as raced:
        # Another kiosk registered the same card a moment ago: that is the person.
        person = _holder(read)
        if person is None:
            raise raced from None
        with transaction.atomic():
            _audit_read(device=device, read=read, person=person)
        return CardHolder(person=person, registered=False)
    return CardHolder(person=person, registered=True)
