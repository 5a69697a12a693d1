"""Every write of delivery: results put in a pickup locker (自助取件柜) and taken out with
the SMS code and the ID card, moved back to the window when nobody came, handed over at the
issuance window, or sent by courier (docs/decisions/0032-delivery-and-pickup-lockers.md).

The case itself moves only through cases' services (awaiting delivery → delivered); what
happens on the way is noted on its timeline with `case_delivery_note`.

A compartment is never given to two results: the free one is picked with
`SELECT … FOR UPDATE SKIP LOCKED`, so two clerks depositing at once take different rows
(or the second finds none free), and a partial unique index on the waiting deposits refuses
anything that slipped past.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from onestop.cases import selectors as cases
from onestop.cases import services as case_services
from onestop.cases.enums import CaseState, DeliveryMethod
from onestop.cases.policies import Perm as CasePerm
from onestop.core import pii
from onestop.core.access import Place
from onestop.core.audit import audit_record
from onestop.core.errors import Conflict, DomainError, NotFound
from onestop.core.service import audited
from onestop.delivery import selectors
from onestop.delivery.devices import locker_device
from onestop.delivery.enums import (
    SIZE_ORDER,
    CompartmentSize,
    DepositState,
    ErrorCode,
    PickupOutcome,
)
from onestop.delivery.models import Compartment, Deposit, Locker, Shipment
from onestop.delivery.policies import RULES, Perm
from onestop.identity.actors import HallDevice, StaffUser
from onestop.notifications.services import outbox_enqueue

# A result not collected within this many days goes back to the issuance window.
KEEP_DAYS = 7
# Wrong codes in a row before the compartment refuses codes, and for how long.
MAX_WRONG_CODES = 5
LOCK_MINUTES = 30
CODE_DIGITS = 6
_CODE = re.compile(r"^\d{6}$")
_TRACKING = re.compile(r"^[A-Za-z0-9-]{6,40}$")
_LABEL = re.compile(r"^[A-Z0-9]{1,8}$")


def _code_hash(code: str, salt: str) -> str:
    return salted_hmac(
        "onestop.delivery.pickup-code", f"{salt}:{code}", algorithm="sha256"
    ).hexdigest()


def _deposit_summary(deposit: Deposit) -> dict[str, Any]:
    return {
        "case_id": deposit.case_id,
        "compartment_id": deposit.compartment_id,
        "state": deposit.state,
        "failed_attempts": deposit.failed_attempts,
    }


def _sms(case: Any, key: str, message: str, **params: Any) -> None:
    phone = pii.reveal(case, "contact_phone")
    if not phone:
        return
    with override(case.language):
        text = _(message) % {"number": case.number or "", **params}
    outbox_enqueue(
        channel="sms",
        template="generic",
        context={"text": text},
        language=case.language,
        phone=phone,
        idempotency_key=f"delivery:{case.pk}:{key}",
    )


def _awaiting(case: Any) -> None:
    if case.state != CaseState.AWAITING_DELIVERY:
        raise Conflict(
            ErrorCode.NOT_FOR_LOCKER,
            _("Case %(number)s is not waiting to be delivered.") % {"number": case.number},
        )


def _waiting_deposit(case_id: int) -> Deposit | None:
    return Deposit.objects.filter(case_id=case_id, state=DepositState.WAITING).first()


# --- Setting up a locker -----------------------------------------------------------------------


@audited("delivery.locker.create")
def locker_create(
    *,
    actor: StaffUser | None,
    centre_id: int,
    code: str,
    name: str,
    compartments: dict[str, list[str]],
    location: str = "",
) -> Locker:
    """A locker of the centre with its compartments: {size: [label, ...]}."""
    RULES.require(actor, Perm.MANAGE, Place(centre_id=centre_id))
    code = code.strip()
    labels = [(size, label.strip().upper()) for size, ls in compartments.items() for label in ls]
    if (
        not code
        or not name.strip()
        or not labels
        or any(size not in CompartmentSize.values or not _LABEL.match(lb) for size, lb in labels)
        or len({lb for _s, lb in labels}) != len(labels)
    ):
        raise DomainError(
            ErrorCode.INVALID_LOCKER,
            _("A locker needs a code, a name and compartments with distinct labels and sizes."),
        )
    locker = Locker.objects.create(
        centre_id=centre_id, code=code, name=name.strip(), location=location.strip()
    )
    Compartment.objects.bulk_create(
        Compartment(locker=locker, label=label, size=size) for size, label in labels
    )
    audit_record(
        actor=actor,
        action="delivery.locker.create",
        obj=locker,
        after={"centre_id": centre_id, "code": code, "compartments": len(labels)},
    )
    return locker


# --- Depositing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepositMade:
    deposit: Deposit
    # The pickup code in clear, only for the SMS just queued (and the tests): never stored.
    code: str


def _free_compartment(centre_id: int, size: str) -> Compartment | None:
    """The smallest free compartment of at least `size` at the centre, locked for this
    transaction; rows another deposit holds are skipped, not waited for."""
    busy = Deposit.objects.filter(state=DepositState.WAITING).values("compartment_id")
    for candidate in SIZE_ORDER[SIZE_ORDER.index(size) :]:
        found = (
            Compartment.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(locker__centre_id=centre_id, locker__active=True, active=True, size=candidate)
            .exclude(pk__in=busy)
            .order_by("locker__code", "label")
            .first()
        )
        if found is not None:
            return found
    return None


@audited("delivery.deposit.make", "cases.case.dispatch")
def deposit_make(
    *, actor: StaffUser, case_id: int, size: str, now: datetime | None = None
) -> DepositMade:
    """Put the result of a case awaiting delivery by locker into a free compartment of the
    centre (the door opens for the clerk) and text the applicant a pickup code."""
    now = now or timezone.now()
    if size not in CompartmentSize.values:
        raise DomainError(ErrorCode.INVALID_SIZE, _("Choose the size of compartment: S, M or L."))
    case = cases.access_case(actor, case_id, CasePerm.WINDOW, for_update=True)
    RULES.require(actor, Perm.ISSUE, case.place)
    _awaiting(case)
    if case.delivery_method != DeliveryMethod.LOCKER:
        raise Conflict(
            ErrorCode.NOT_FOR_LOCKER,
            _("The applicant did not choose the pickup locker for this result."),
        )
    if _waiting_deposit(case.pk) is not None:
        raise Conflict(ErrorCode.ALREADY_IN_LOCKER, _("This result is already in a locker."))
    compartment = _free_compartment(case.centre_id, size) if case.centre_id else None
    if compartment is None:
        raise Conflict(
            ErrorCode.NO_FREE_COMPARTMENT,
            _(
                "No compartment of size %(size)s or larger is free. "
                "Hand the result over at the window."
            )
            % {"size": size},
        )
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    salt = secrets.token_hex(8)
    try:
        with transaction.atomic():
            deposit = Deposit.objects.create(
                compartment=compartment,
                case_id=case.pk,
                code_salt=salt,
                code_hash=_code_hash(code, salt),
                deposited_by=actor,
                deposited_at=now,
            )
    except IntegrityError as error:
        raise Conflict(
            ErrorCode.NO_FREE_COMPARTMENT, _("That compartment was just taken. Try again.")
        ) from error
    if not locker_device().open(compartment):
        raise DomainError(
            ErrorCode.DEVICE_FAULT,
            _("Compartment %(label)s did not open. Nothing was recorded; try again.")
            % {"label": compartment.label},
            status=503,
        )
    audit_record(
        actor=actor,
        action="delivery.deposit.make",
        obj=deposit,
        after=_deposit_summary(deposit),
        reason="door opened",
    )
    locker = compartment.locker
    case_services.case_delivery_note(
        actor=actor,
        case_id=case.pk,
        note=f"{locker.name} {compartment.label}",
        detail={"locker": locker.code, "compartment": compartment.label},
        now=now,
    )
    _sms(
        case,
        f"deposit:{deposit.pk}",
        gettext_noop(
            "The result of case %(number)s is in the pickup locker %(locker)s, compartment "
            "%(label)s. Pickup code %(code)s, with your ID card, within %(days)d days."
        ),
        locker=locker.name,
        label=compartment.label,
        code=code,
        days=KEEP_DAYS,
    )
    return DepositMade(deposit=deposit, code=code)


# --- Pickup at the locker ----------------------------------------------------------------------


@dataclass(frozen=True)
class Pickup:
    outcome: PickupOutcome
    deposit: Deposit
    # Wrong codes left before the compartment locks; when it is locked, until when.
    tries_left: int = 0
    locked_until: datetime | None = None


@audited("delivery.deposit")
def locker_pickup(
    *,
    actor: HallDevice | StaffUser,
    locker_id: int,
    person_id: int,
    code: str,
    now: datetime | None = None,
) -> Pickup:
    """The applicant (or their agent), identified by their card at the locker, enters the
    pickup code. Right: the door opens and the case is delivered. Wrong: counted, and the
    fifth wrong code in a row locks the compartment for LOCK_MINUTES. Either way audited."""
    now = now or timezone.now()
    locker = selectors.access_locker(actor, locker_id, Perm.PICKUP)
    code = (code or "").strip()
    if not _CODE.match(code):
        raise DomainError(ErrorCode.INVALID_CODE, _("The pickup code is the 6 digits of your SMS."))
    mine = Q(case__applicant_person_id=person_id) | Q(case__agent_id=person_id)
    deposits = list(
        Deposit.objects.select_for_update(of=("self",))
        .filter(mine, compartment__locker=locker, state=DepositState.WAITING)
        .select_related("compartment")
        .order_by("id")
    )
    if not deposits:
        moved = Deposit.objects.filter(
            mine, compartment__locker=locker, state=DepositState.RECOVERED
        ).exists()
        if moved:
            raise NotFound(
                ErrorCode.MOVED_TO_WINDOW,
                _(
                    "Your result was not collected within %(days)d days and is now at the "
                    "issuance window. Please take a pickup number."
                )
                % {"days": KEEP_DAYS},
            )
        raise NotFound(
            ErrorCode.NOTHING_WAITING,
            _("Nothing waits for this card in this locker. Check the locker named in your SMS."),
        )
    open_ones = [d for d in deposits if d.locked_until is None or d.locked_until <= now]
    if not open_ones:
        first = deposits[0]
        audit_record(
            actor=actor,
            action="delivery.deposit.refused_locked",
            obj=first,
            after=_deposit_summary(first),
        )
        return Pickup(PickupOutcome.LOCKED, first, locked_until=first.locked_until)
    match = next(
        (d for d in open_ones if constant_time_compare(_code_hash(code, d.code_salt), d.code_hash)),
        None,
    )
    if match is None:
        return _wrong_code(actor, open_ones, now)
    return _open(actor, match, now)


def _wrong_code(actor: HallDevice | StaffUser, deposits: list[Deposit], now: datetime) -> Pickup:
    for deposit in deposits:
        deposit.failed_attempts += 1
        if deposit.failed_attempts >= MAX_WRONG_CODES:
            deposit.failed_attempts = 0
            deposit.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        deposit.save(update_fields=["failed_attempts", "locked_until"])
        audit_record(
            actor=actor,
            action="delivery.deposit.code_wrong",
            obj=deposit,
            after={**_deposit_summary(deposit), "locked": deposit.locked_until is not None},
        )
    first = deposits[0]
    if first.locked_until is not None and first.locked_until > now:
        return Pickup(PickupOutcome.LOCKED, first, locked_until=first.locked_until)
    return Pickup(
        PickupOutcome.WRONG_CODE, first, tries_left=MAX_WRONG_CODES - first.failed_attempts
    )


def _open(actor: HallDevice | StaffUser, deposit: Deposit, now: datetime) -> Pickup:
    if not locker_device().open(deposit.compartment):
        raise DomainError(
            ErrorCode.DEVICE_FAULT,
            _("The compartment did not open. Please ask at the issuance window."),
            status=503,
        )
    deposit.state = DepositState.COLLECTED
    deposit.collected_at = now
    deposit.failed_attempts = 0
    deposit.locked_until = None
    deposit.save(update_fields=["state", "collected_at", "failed_attempts", "locked_until"])
    audit_record(
        actor=actor,
        action="delivery.deposit.opened",
        obj=deposit,
        after=_deposit_summary(deposit),
        reason="door opened",
    )
    case_services.case_deliver(
        actor=actor, case_id=deposit.case_id, note=str(deposit.compartment), now=now
    )
    return Pickup(PickupOutcome.OPENED, deposit)


# --- Uncollected results -----------------------------------------------------------------------


@audited("delivery.sweep", unless=lambda recovered: recovered == 0)
def deposits_recover_uncollected(
    *, actor: StaffUser | None = None, now: datetime | None = None
) -> int:
    """Results waiting in a locker for more than KEEP_DAYS go back to the issuance window:
    the compartment is freed (the morning round takes them out), the case stays awaiting
    delivery with a note, and the applicant is told. A second run changes nothing."""
    now = now or timezone.now()
    RULES.require(actor, Perm.SWEEP)
    overdue = list(
        Deposit.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(state=DepositState.WAITING, deposited_at__lte=now - timedelta(days=KEEP_DAYS))
        .select_related("compartment__locker")
        .order_by("id")
    )
    for deposit in overdue:
        deposit.state = DepositState.RECOVERED
        deposit.recovered_at = now
        deposit.save(update_fields=["state", "recovered_at"])
        audit_record(
            actor=actor,
            action="delivery.deposit.recovered",
            obj=deposit,
            after=_deposit_summary(deposit),
            reason=f"not collected within {KEEP_DAYS} days",
        )
        case = case_services.case_delivery_note(
            actor=None,
            case_id=deposit.case_id,
            note=f"Not collected from {deposit.compartment} within {KEEP_DAYS} days: "
            "moved back to the issuance window",
            detail={"recovered_from": str(deposit.compartment)},
            now=now,
        )
        _sms(
            case,
            f"recovered:{deposit.pk}",
            gettext_noop(
                "The result of case %(number)s was not collected from the locker and is now "
                "at the issuance window."
            ),
        )
    if overdue:
        audit_record(actor=actor, action="delivery.sweep", after={"recovered": len(overdue)})
    return len(overdue)


# --- The issuance window -----------------------------------------------------------------------


@audited("delivery.handover", "cases.case.deliver")
def handover_at_window(
    *, actor: StaffUser, case_id: int, person_id: int, now: datetime | None = None
) -> Any:
    """Hand the result over at the window to the applicant or their agent, whose card was
    read."""
    now = now or timezone.now()
    case = cases.access_case(actor, case_id, CasePerm.WINDOW, for_update=True)
    RULES.require(actor, Perm.ISSUE, case.place)
    _awaiting(case)
    if person_id not in (case.applicant_person_id, case.agent_id):
        raise DomainError(
            ErrorCode.NOT_THE_APPLICANT,
            _("This card is not the applicant's or their agent's. Nothing was handed over."),
        )
    if _waiting_deposit(case.pk) is not None:
        raise Conflict(
            ErrorCode.ALREADY_IN_LOCKER,
            _("This result is in a locker: the applicant opens it with the SMS code."),
        )
    audit_record(
        actor=actor, action="delivery.handover", object_type="delivery.handover", object_id=case.pk
    )
    return case_services.case_deliver(actor=actor, case_id=case.pk, now=now)


@audited("delivery.shipment.dispatch", "cases.case.dispatch")
def shipment_dispatch(
    *,
    actor: StaffUser,
    case_id: int,
    carrier: str,
    tracking_number: str,
    now: datetime | None = None,
) -> Shipment:
    """Record that the result left by courier; it is delivered when the courier confirms."""
    now = now or timezone.now()
    carrier = (carrier or "").strip()
    tracking_number = (tracking_number or "").strip()
    if not carrier or len(carrier) > 40 or not _TRACKING.match(tracking_number):
        raise DomainError(
            ErrorCode.INVALID_TRACKING,
            _("Give the courier's name and a tracking number of 6 to 40 letters and digits."),
        )
    case = cases.access_case(actor, case_id, CasePerm.WINDOW, for_update=True)
    RULES.require(actor, Perm.ISSUE, case.place)
    _awaiting(case)
    if _waiting_deposit(case.pk) is not None or Shipment.objects.filter(case_id=case.pk).exists():
        raise Conflict(
            ErrorCode.ALREADY_IN_LOCKER, _("This result is already in a locker or on its way.")
        )
    shipment = Shipment.objects.create(
        case_id=case.pk,
        carrier=carrier,
        tracking_number=tracking_number,
        dispatched_by=actor,
        dispatched_at=now,
    )
    audit_record(
        actor=actor,
        action="delivery.shipment.dispatch",
        obj=shipment,
        after={"case_id": case.pk, "carrier": carrier},
    )
    case_services.case_delivery_note(
        actor=actor,
        case_id=case.pk,
        note=f"{carrier} {tracking_number}",
        detail={"carrier": carrier, "tracking_number": tracking_number},
        now=now,
    )
    return shipment


@audited("delivery.shipment.confirm", "cases.case.deliver")
def shipment_confirm(
    *, actor: StaffUser, shipment_id: int, now: datetime | None = None
) -> Shipment:
    """The courier confirmed delivery: the case is delivered."""
    now = now or timezone.now()
    shipment = selectors.access_shipment(actor, shipment_id, for_update=True)
    if shipment.confirmed_at is not None:
        raise Conflict(ErrorCode.SHIPMENT_NOT_FOUND, _("This delivery is already confirmed."))
    shipment.confirmed_at = now
    shipment.save(update_fields=["confirmed_at"])
    audit_record(actor=actor, action="delivery.shipment.confirm", obj=shipment)
    case_services.case_deliver(
        actor=actor, case_id=shipment.case_id, note=shipment.tracking_number, now=now
    )
    return shipment
