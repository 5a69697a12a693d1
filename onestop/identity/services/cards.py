"""Knowing a person by their card at a kiosk or window (一卡)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from onestop.core import pii
from onestop.core.access import Actor
from onestop.core.audit import audit_record
from onestop.core.errors import NotFound
from onestop.core.pii import PiiKind
from onestop.identity.card_reader import RESIDENT_ID, card_reader
from onestop.identity.enums import ErrorCode, SignInMethod
from onestop.identity.models import Person
from onestop.identity.services.throttle import (
    client_ip,
    failure_record,
    signin_lock,
    signin_subject,
    throttled_error,
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
    # A kiosk is counted by its device account, a browser by its address; a call from a
    # shell has neither and is not throttled.
    key = f"device:{device.pk}" if device is not None and device.pk else address
    subject = signin_subject(SignInMethod.CARD, "reader", key) if key else ""
    lock = signin_lock(subject=subject, ip=address, account_wide=False) if subject else None
    if lock is not None:
        raise throttled_error(lock.retry_after)
    read = card_reader().read(raw)
    if read.kind == RESIDENT_ID:
        index = pii.blind_index(PiiKind.RESIDENT_ID, read.number)
        person = Person.objects.filter(id_number_index=index).first()
    else:
        index = pii.blind_index(PiiKind.SOCIAL_SECURITY_NO, read.number)
        person = Person.objects.filter(social_security_no_index=index).first()
    actor = device
    kind = PiiKind.RESIDENT_ID if read.kind == RESIDENT_ID else PiiKind.SOCIAL_SECURITY_NO
    with transaction.atomic():
        if person is None and subject:
            failure_record(subject=subject, ip=address)
        audit_record(
            actor=actor,
            action="person.identify_by_card",
            obj=person,
            object_type="identity.person",
            after={
                "card": read.kind,
                "number": pii.mask(kind, read.number),
                "found": person is not None,
            },
        )
    if person is None:
        raise NotFound(
            ErrorCode.CARD_UNKNOWN,
            _("This card is not registered. Please ask at a window."),
        )
    return person
