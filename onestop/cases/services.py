"""Every write of cases: one service per move of the CASE machine (enums), each @audited with
the case's timeline, plus the writes that are not moves (materials, assignment, review steps,
extensions) recorded on the same timeline.

The clock (docs/decisions/0022-cases.md): it starts the day the application reaches the
government (submitted online, or made at a window), runs in working or natural days as the
item's promised limit says, stops while a one-time notice waits for corrections and during a
special procedure, and grows by an extension the department's head approved. The due date
and its status are stored on the case at each move and by the sweep, for the inbox to sort
and the figures to count.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from onestop.cases import licensing, selectors
from onestop.cases.casetypes import case_type_for
from onestop.cases.enums import (
    CASE,
    DECISIONS,
    OPEN_STATES,
    WITHDRAWABLE,
    CaseAction,
    CaseChannel,
    CaseResult,
    CaseState,
    DeadlineStatus,
    DeliveryMethod,
    ErrorCode,
    Provision,
    SpecialProcedure,
    StepKind,
)
from onestop.cases.models import (
    Case,
    CaseExtension,
    CaseMaterial,
    CaseNumberSequence,
    CorrectionNotice,
    CourierAddress,
    SweepCalendar,
)
from onestop.cases.policies import RULES, Perm
from onestop.cases.values import Courier, courier_clean, phone_clean
from onestop.catalog import selectors as catalog
from onestop.centres import selectors as centres
from onestop.core import pii, uploads
from onestop.core.access import Actor, Place
from onestop.core.errors import Conflict, DomainError, NotFound
from onestop.core.service import audited
from onestop.core.workdays import add_working_days, calendar_fingerprint
from onestop.hall import selectors as hall
from onestop.hall import services as hall_services
from onestop.hall.enums import AT_WINDOW, TicketKind
from onestop.identity import selectors as identity
from onestop.identity.actors import Account, Citizen, HallDevice, StaffUser
from onestop.notifications.services import outbox_enqueue

# Uploads: at most this many bytes, and only the kinds core.uploads tells by their first bytes.
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# Working days an applicant has to answer a one-time notice, unless the clerk says otherwise.
CORRECTION_DAYS = 5
REASON_MAX_LENGTH = 2000
EXTENSION_MAX_DAYS = 60
SUSPENSION_MAX_DAYS = 120
WEB_PREFIX = "WEB"

# States in which materials may still change: before acceptance.
_EDITABLE = (CaseState.DRAFT, CaseState.PRE_REVIEW, CaseState.CORRECTION)


def _today(now: datetime) -> date:
    return timezone.localdate(now)


def _reason(value: str, *, required: bool = True) -> str:
    text = unicodedata.normalize("NFC", (value or "").strip())
    if required and not text:
        raise DomainError(ErrorCode.INVALID_REASON, _("Give a reason."))
    if len(text) > REASON_MAX_LENGTH:
        raise DomainError(
            ErrorCode.INVALID_REASON,
            _("A reason has at most %(max)d characters.") % {"max": REASON_MAX_LENGTH},
        )
    return text


_phone = phone_clean


# --- Numbers -----------------------------------------------------------------------------------


def number_next(prefix: str, day: date) -> str:
    """The next case number under `prefix` on `day`: YYYYMMDD-PREFIX-NNNNN. The counter row
    is locked for the rest of the caller's transaction, so numbers are unique and gapless
    per prefix and day even under concurrent acceptances."""
    prefix = re.sub(r"[^A-Z0-9]", "", prefix.upper())[:24]
    if not prefix:
        raise DomainError(ErrorCode.NO_CENTRE_CODE, _("The centre has no code to number cases."))
    CaseNumberSequence.objects.get_or_create(prefix=prefix, day=day)
    CaseNumberSequence.objects.filter(prefix=prefix, day=day).update(last=F("last") + 1)
    last = CaseNumberSequence.objects.filter(prefix=prefix, day=day).values_list("last", flat=True)
    return f"{day:%Y%m%d}-{prefix}-{last[0]:05d}"


# --- Notifications -----------------------------------------------------------------------------


def _notify(case: Case, key: str, text: str) -> None:
    """An SMS to the applicant, through the outbox in the move's transaction: a crash after
    the commit loses nothing, and a repeat of the same milestone sends nothing twice."""
    phone = pii.reveal(case, "contact_phone")
    if not phone:
        return
    outbox_enqueue(
        channel="sms",
        template="generic",
        context={"text": text},
        language=case.language,
        phone=phone,
        idempotency_key=f"cases:{case.pk}:{key}",
    )


def _milestone_text(case: Case, message: str, **params: Any) -> str:
    with override(case.language):
        return _(message) % {"number": case.number or "", **params}


def _rating_invite(case: Case) -> None:
    """When a case closes (delivered, not accepted), one SMS asks the applicant to rate it
    (好差评) on their case page; a withdrawal is the applicant's own act and sends none."""
    _notify(
        case,
        "rate",
        _milestone_text(
            case,
            gettext_noop("Case %(number)s is closed. Rate the service when signed in at %(path)s"),
            path=reverse("cases:detail", args=[case.pk]),
        ),
    )


# --- The clock ---------------------------------------------------------------------------------


def _clock_fields(case: Case, today: date) -> dict[str, Any]:
    """The clock's stored columns as `today` finds them: its status, and for a running
    clock its due date and the days it becomes nearly due and severely overdue (the marks
    the sweep compares with the day). A paused clock keeps the due date it had and has no
    marks until it runs again. One calendar read."""
    deadline = selectors.case_deadline(case)
    if deadline is None:
        return {
            "deadline_status": DeadlineStatus.NONE,
            "due_date": None,
            "warn_on": None,
            "severe_on": None,
        }
    if deadline.is_paused:
        return {"deadline_status": DeadlineStatus.PAUSED, "warn_on": None, "severe_on": None}
    marks = selectors.deadline_marks(deadline)
    return {
        "deadline_status": selectors.marks_status(marks, today),
        "due_date": marks.due_date,
        "warn_on": marks.warn_on,
        "severe_on": marks.severe_on,
    }


def _pause(case: Case, today: date) -> list[list[str | None]]:
    deadline = selectors.case_deadline(case)
    if deadline is None:
        return list(case.pauses)
    deadline.pause(today)  # refuses a second pause
    return [*case.pauses, [today.isoformat(), None]]


def _resume(case: Case, today: date) -> list[list[str | None]]:
    deadline = selectors.case_deadline(case)
    if deadline is None or not deadline.is_paused:
        return list(case.pauses)
    deadline.resume(today)
    return [*case.pauses[:-1], [case.pauses[-1][0], today.isoformat()]]


def _move(
    case: Case,
    *,
    to: str,
    action: str,
    actor: Actor | None,
    now: datetime,
    fields: dict[str, Any] | None = None,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> Case:
    """Move the case and store its clock as it stands after the move."""
    changes = dict(fields or {})
    probe = Case(**{f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields})
    for name, value in changes.items():
        setattr(probe, name, value)
    if to in OPEN_STATES:
        changes.update(_clock_fields(probe, _today(now)))
    CASE.move(
        case,
        to=to,
        action=action,
        actor=actor,
        at=now,
        fields=changes,
        reason=reason,
        detail=detail,
    )
    return case


# --- Starting an application -------------------------------------------------------------------


def _published(item_key: str) -> Any:
    try:
        item = catalog.item_current(item_key)
    except NotFound:
        raise DomainError(
            ErrorCode.ITEM_NOT_AVAILABLE,
            _("This service cannot be applied for: it does not exist or has been withdrawn."),
        ) from None
    if item.department_id is None:
        raise DomainError(
            ErrorCode.ITEM_NOT_AVAILABLE,
            _("This service is handled by a provincial body, not through the city's hall."),
        )
    return item


def _handled_at(item: Any, centre: Any) -> None:
    """A centre accepts the city's items, its own region's, and any district's 通办 items."""
    region = item.region.code if item.region_id else ""
    if item.cross_district or not region or centre.region.code.startswith(region):
        return
    raise DomainError(
        ErrorCode.ITEM_NOT_AVAILABLE,
        _("This service is not handled at this centre: it is not a cross-district (通办) item."),
    )


def _materials_create(case: Case, item: Any) -> None:
    lines = []
    for material in item.materials.all():
        lines.append(
            CaseMaterial(
                case=case,
                material=material,
                name=material.name,
                required=material.requirement == "required",
                provision=Provision.HELD if material.held_by_government else Provision.MISSING,
            )
        )
    CaseMaterial.objects.bulk_create(lines)


def _case_new(
    *,
    item: Any,
    channel: str,
    person: Any,
    enterprise: Any,
    agent: Any,
    account_id: int | None,
    phone: str,
    delivery_method: str,
    language: str,
    now: datetime,
) -> Case:
    if delivery_method not in DeliveryMethod.values:
        raise DomainError(ErrorCode.DELIVERY_INVALID, _("Choose how to receive the result."))
    spec = case_type_for(item.item_key, item.item_type)
    case = Case(
        item=item,
        item_key=item.item_key,
        item_name=item.name,
        applicant_person=person,
        applicant_enterprise=enterprise,
        agent=agent,
        account_id=account_id,
        channel=channel,
        department_id=item.department_id,
        region_code=item.region.code if item.region_id else "",
        language=language if language in ("zh-hans", "zh-hant", "en") else "zh-hans",
        steps=list(spec.steps),
        notify_steps=list(spec.notify_steps),
        retention_map=dict(spec.retention),
        limit_value=item.promised_limit_value or item.statutory_limit_value,
        limit_unit=item.promised_limit_unit or item.statutory_limit_unit,
        statutory_value=item.statutory_limit_value,
        statutory_unit=item.statutory_limit_unit,
        delivery_method=delivery_method,
        created_at=now,
    )
    pii.assign(case, "contact_phone", phone or None)
    return case


def _courier_checked(delivery_method: str, courier: Courier | None) -> Courier | None:
    """The courier's details when the result goes by courier (required then, checked before
    anything is written); None otherwise."""
    if delivery_method != DeliveryMethod.COURIER:
        return None
    if courier is None:
        raise DomainError(
            ErrorCode.COURIER_ADDRESS,
            _("Give the address, recipient and mobile number for the courier."),
        )
    return courier_clean(courier.recipient, courier.phone, courier.address)


def _courier_store(case: Case, courier: Courier | None, now: datetime) -> None:
    if courier is None:
        return
    row = CourierAddress(case=case, updated_at=now)
    pii.assign(row, "recipient", courier.recipient)
    pii.assign(row, "phone", courier.phone)
    pii.assign(row, "address", courier.address)
    row.save(force_insert=True)


@dataclass(frozen=True)
class Applicant:
    """Who applies: a person, or an enterprise (by its unified social credit code) with the
    person acting for it as the agent."""

    person_id: int | None = None
    enterprise_uscc: str = ""
    agent_id: int | None = None


@audited("cases.case.create", timeline=True)
def case_start_at_window(
    *,
    actor: StaffUser,
    centre_id: int,
    item_key: str,
    applicant: Applicant,
    ticket_id: int | None = None,
    phone: str = "",
    delivery_method: str = DeliveryMethod.WINDOW,
    courier: Courier | None = None,
    language: str = "zh-hans",
    now: datetime | None = None,
) -> Case:
    """A clerk starts an application for the visitor of a called ticket: the case is
    numbered at once (it has reached the government) and waits in pre-review while the clerk
    checks the materials. A consultation ticket (咨询号) becomes an acceptance ticket with the
    same number: the visitor came to ask and stays to apply, without queueing again."""
    now = now or timezone.now()
    RULES.require(actor, Perm.WINDOW, Place(centre_id=centre_id))
    centre = centres.centre_get_by_id(centre_id)
    item = _published(item_key)
    _handled_at(item, centre)
    person, enterprise, agent = _applicant_resolve(actor, applicant)
    courier = _courier_checked(delivery_method, courier)
    if ticket_id is not None:
        ticket_id = _ticket_for_application(actor, ticket_id, centre_id=centre_id, now=now)
    if phone == "" and person is not None and person.phone_sealed:
        phone = pii.reveal(person, "phone")
    case = _case_new(
        item=item,
        channel=CaseChannel.WINDOW,
        person=person,
        enterprise=enterprise,
        agent=agent,
        account_id=None,
        phone=_phone(phone),
        delivery_method=delivery_method,
        language=language,
        now=now,
    )
    case.centre = centre
    case.ticket_id = ticket_id
    case.state = CaseState.PRE_REVIEW
    case.number = number_next(centre.code, _today(now))
    case.received_on = _today(now)
    case.submitted_at = now
    for name, value in _clock_fields(case, _today(now)).items():
        setattr(case, name, value)
    case.save(force_insert=True)
    _courier_store(case, courier, now)
    _materials_create(case, item)
    CASE.record(
        case,
        action=CaseAction.CREATE,
        actor=actor,
        from_state="",
        at=now,
        detail={"channel": case.channel, "ticket_id": ticket_id},
    )
    _materials_from_licences(actor, case, now)
    return case


def _materials_from_licences(actor: Account, case: Case, now: datetime) -> None:
    """The required materials the applicant's valid e-licences cover are taken from them
    (用证), each filed as an annotated copy: the application never asks for them."""
    provided = licensing.materials_from_licences(actor=actor, case=case, now=now)
    if provided:
        CASE.record(
            case,
            action=CaseAction.MATERIAL,
            actor=actor,
            at=now,
            detail={"provision": Provision.E_LICENCE, "from_licences": provided},
        )


def _ticket_for_application(
    actor: StaffUser, ticket_id: int, *, centre_id: int, now: datetime
) -> int:
    """The id of the ticket the case comes from: one of this centre's, at a window; a
    consultation is converted into an acceptance, keeping its number."""
    ticket = hall.access_ticket(actor, ticket_id)
    if ticket.centre_id != centre_id or ticket.state not in AT_WINDOW:
        raise DomainError(
            ErrorCode.TICKET_NOT_AT_WINDOW,
            _("This ticket is not at a window of this centre."),
        )
    if ticket.kind != TicketKind.CONSULTATION:
        return ticket.pk
    successor = hall_services.ticket_convert(
        actor=actor,
        ticket_id=ticket.pk,
        to_kind=TicketKind.ACCEPTANCE,
        keep=True,
        reason=_("An application was started from the consultation."),
        now=now,
    )
    return successor.pk


def _applicant_resolve(actor: Actor, applicant: Applicant) -> tuple[Any, Any, Any]:
    person = enterprise = agent = None
    if applicant.person_id is not None:
        person = identity.access_person(actor, applicant.person_id)
    if applicant.enterprise_uscc:
        enterprise = identity.enterprise_find_by_uscc(applicant.enterprise_uscc)
        if enterprise is None:
            raise DomainError(ErrorCode.APPLICANT_REQUIRED, _("No enterprise with this code."))
    if applicant.agent_id is not None:
        agent = identity.access_person(actor, applicant.agent_id)
    if person is None and enterprise is None:
        raise DomainError(ErrorCode.APPLICANT_REQUIRED, _("Identify the applicant first."))
    return person, enterprise, agent


@audited("cases.case.create", timeline=True)
def case_draft_create(
    *,
    actor: Citizen,
    item_key: str,
    delivery_method: str = DeliveryMethod.WINDOW,
    courier: Courier | None = None,
    phone: str = "",
    language: str = "zh-hans",
    now: datetime | None = None,
) -> Case:
    """A citizen starts an online application for themselves; it stays a draft (no number,
    no clock) until they submit it."""
    now = now or timezone.now()
    if actor.person_id is None:
        raise DomainError(ErrorCode.APPLICANT_REQUIRED, _("Your account has no person."))
    item = _published(item_key)
    courier = _courier_checked(delivery_method, courier)
    person = identity.access_person(actor, actor.person_id)
    if not phone and person.phone_sealed:
        phone = pii.reveal(person, "phone")
    case = _case_new(
        item=item,
        channel=CaseChannel.ONLINE,
        person=person,
        enterprise=None,
        agent=None,
        account_id=actor.pk,
        phone=_phone(phone),
        delivery_method=delivery_method,
        language=language,
        now=now,
    )
    case.save(force_insert=True)
    _courier_store(case, courier, now)
    _materials_create(case, item)
    CASE.record(case, action=CaseAction.CREATE, actor=actor, from_state="", at=now)
    _materials_from_licences(actor, case, now)
    return case


def _line(case: Case, material_id: int) -> CaseMaterial:
    line = CaseMaterial.objects.filter(case=case, material_id=material_id).first()
    if line is None:
        raise DomainError(
            ErrorCode.MATERIAL_UNKNOWN, _("This material is not on the application's checklist.")
        )
    if line.provision == Provision.HELD:
        raise DomainError(
            ErrorCode.MATERIAL_NOT_ASKED,
            _("The government already holds this material: nothing to provide."),
        )
    if case.state == CaseState.CORRECTION:
        notice = CorrectionNotice.objects.filter(case=case).first()
        if notice is not None and not notice.names_material(material_id):
            raise DomainError(
                ErrorCode.MATERIAL_NOT_ASKED,
                _("The one-time notice does not ask for this material."),
            )
    return line


def _editable(case: Case, actor: Account) -> None:
    if case.state not in _EDITABLE:
        raise Conflict(
            "illegal_transition", _("Materials cannot change once the case is accepted.")
        )
    if case.state == CaseState.PRE_REVIEW and not isinstance(actor, StaffUser):
        raise Conflict(
            "illegal_transition", _("The application is being checked; wait for the result.")
        )


def _access_for_materials(actor: Account, case_id: int) -> Case:
    perm = Perm.WINDOW if isinstance(actor, StaffUser) else Perm.APPLY
    return selectors.access_case(actor, case_id, perm, for_update=True)


@audited("cases.case.material", timeline=True)
def case_material_upload(
    *,
    actor: Account,
    case_id: int,
    material_id: int,
    content: IO[bytes],
    filename: str = "",
    now: datetime | None = None,
) -> CaseMaterial:
    """Attach a file for one line of the checklist: a PDF, JPEG or PNG (told by its first
    bytes, whatever its name says), at most UPLOAD_MAX_BYTES, kept through the case files'
    storage. A new file replaces the line's file."""
    now = now or timezone.now()
    case = _access_for_materials(actor, case_id)
    _editable(case, actor)
    line = _line(case, material_id)
    data = content.read(UPLOAD_MAX_BYTES + 1)
    if len(data) > UPLOAD_MAX_BYTES:
        raise DomainError(
            ErrorCode.FILE_TOO_LARGE,
            _("The file is larger than %(mb)d MB.") % {"mb": UPLOAD_MAX_BYTES // (1024 * 1024)},
        )
    content_type = uploads.sniff(data[:16])
    if not content_type:
        raise DomainError(
            ErrorCode.FILE_TYPE, _("Only PDF, JPEG and PNG files are accepted: this is none.")
        )
    old = line.file.name if line.file else ""
    line.content_type = content_type
    line.size = len(data)
    line.sha256 = hashlib.sha256(data).hexdigest()
    line.original_name = unicodedata.normalize("NFC", filename)[-200:]
    line.provision = Provision.UPLOAD
    line.updated_at = now
    line.file.save(f"upload{line.extension}", ContentFile(data), save=False)
    line.save()
    if old and old != line.file.name:
        stored = line.file.storage
        transaction.on_commit(lambda: stored.delete(old))
    CASE.record(
        case,
        action=CaseAction.MATERIAL,
        actor=actor,
        at=now,
        detail={"material_id": material_id, "provision": Provision.UPLOAD, "size": line.size},
    )
    return line


@audited("cases.case.material", timeline=True)
def case_material_provide(
    *,
    actor: Account,
    case_id: int,
    material_id: int,
    provision: str,
    e_licence_ref: str = "",
    now: datetime | None = None,
) -> CaseMaterial:
    """Provide one line another way: a paper original the clerk has seen (clerks only), or
    the applicant's e-licence (电子证照) by its identifier: the licence service checks that
    it exists, is valid, is the applicant's and replaces the material, and files an
    annotated copy (加注件) in the case."""
    now = now or timezone.now()
    case = _access_for_materials(actor, case_id)
    _editable(case, actor)
    line = _line(case, material_id)
    if provision == Provision.PAPER:
        if not isinstance(actor, StaffUser):
            raise DomainError(
                ErrorCode.MATERIAL_UNKNOWN, _("A paper original is checked at the window.")
            )
        line.checked = True
    elif provision == Provision.E_LICENCE:
        ref = (e_licence_ref or "").strip()[:100]
        if not licensing.line_types(line):
            raise DomainError(
                ErrorCode.MATERIAL_UNKNOWN, _("No electronic licence can replace this material.")
            )
        use = licensing.licence_use(actor=actor, case=case, line=line, identifier=ref, now=now)
        line.e_licence_ref = use.identifier
    elif provision == Provision.MISSING:
        line.checked = False
    else:
        raise DomainError(ErrorCode.MATERIAL_UNKNOWN, _("Unknown way to provide a material."))
    line.provision = provision
    line.updated_at = now
    line.save()
    CASE.record(
        case,
        action=CaseAction.MATERIAL,
        actor=actor,
        at=now,
        detail={
            "material_id": material_id,
            "provision": provision,
            **({"e_licence": line.e_licence_ref} if provision == Provision.E_LICENCE else {}),
        },
    )
    return line


def _missing_required(case: Case) -> list[CaseMaterial]:
    return [
        line
        for line in CaseMaterial.objects.filter(case=case, required=True)
        if not line.is_provided
    ]


# --- Moves -------------------------------------------------------------------------------------


def _online_centre(case: Case) -> Any:
    """The centre that checks an online application: the first active centre of the item's
    region (the city's for a city item)."""
    found = centres.centres_in_region(case.region_code).order_by("level", "code").first()
    if found is None:
        found = centres.centres_active().order_by("code").first()
    if found is None:
        raise DomainError(ErrorCode.NO_CENTRE_CODE, _("No service centre can take this case."))
    return found


@audited("cases.case.submit", timeline=True)
def case_submit(*, actor: Citizen, case_id: int, now: datetime | None = None) -> Case:
    """Submit an online application: every required material must be there. It is numbered,
    its clock starts, and it goes to the centre that checks it."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.APPLY, for_update=True)
    CASE.check(case, CaseState.SUBMITTED)
    _require_materials(case)
    centre = _online_centre(case)
    today = _today(now)
    _move(
        case,
        to=CaseState.SUBMITTED,
        action=CaseAction.SUBMIT,
        actor=actor,
        now=now,
        fields={
            "number": number_next(WEB_PREFIX, today),
            "received_on": today,
            "submitted_at": now,
            "centre": centre,
        },
    )
    _notify(
        case,
        "submit",
        _milestone_text(case, gettext_noop("Your application %(number)s has been received.")),
    )
    return case


def _require_materials(case: Case) -> None:
    missing = _missing_required(case)
    if missing:
        raise DomainError(
            ErrorCode.MATERIAL_REQUIRED,
            _("Required material missing: %(names)s.")
            % {"names": "、".join(line.name for line in missing)},
            materials=[line.material_id for line in missing],
        )


@audited("cases.case.take", timeline=True)
def case_take(*, actor: StaffUser, case_id: int, now: datetime | None = None) -> Case:
    """A clerk of the case's centre starts checking a submitted online application."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.WINDOW, for_update=True)
    return _move(case, to=CaseState.PRE_REVIEW, action=CaseAction.TAKE, actor=actor, now=now)


@dataclass(frozen=True)
class Problem:
    """One line of a one-time notice: the checklist line (None: something outside it, such
    as a form field) and what is wrong."""

    material_id: int | None
    problem: str


@audited("cases.case.correction_request", timeline=True)
def case_correction_request(
    *,
    actor: StaffUser,
    case_id: int,
    problems: Sequence[Problem],
    days: int = CORRECTION_DAYS,
    now: datetime | None = None,
) -> CorrectionNotice:
    """一次性告知: name everything missing or wrong at once. The applicant has `days` working
    days; the clock stops until they answer. A case gets one notice: later checks may not ask
    for anything it did not name."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.WINDOW, for_update=True)
    if CorrectionNotice.objects.filter(case=case).exists():
        raise Conflict(
            ErrorCode.NOTICE_ALREADY_ISSUED,
            _("This application already had its one-time notice; nothing more may be asked."),
        )
    CASE.check(case, CaseState.CORRECTION)
    if not problems:
        raise DomainError(ErrorCode.NOTICE_EMPTY, _("Name at least one problem."))
    if not 1 <= days <= 60:
        raise DomainError(ErrorCode.INVALID_DAYS, _("Give between 1 and 60 working days."))
    lines = {line.material_id: line for line in CaseMaterial.objects.filter(case=case)}
    rows = []
    for problem in problems:
        text = _reason(problem.problem)
        if problem.material_id is not None:
            line = lines.get(problem.material_id)
            if line is None:
                raise DomainError(
                    ErrorCode.MATERIAL_UNKNOWN,
                    _("This material is not on the application's checklist."),
                )
            if line.provision == Provision.HELD:
                raise DomainError(
                    ErrorCode.MATERIAL_NOT_ASKED,
                    _("“%(name)s” is held by the government and may not be asked for.")
                    % {"name": line.name},
                )
            rows.append({"material_id": line.material_id, "name": line.name, "problem": text})
        else:
            rows.append({"material_id": None, "name": "", "problem": text})
    today = _today(now)
    notice = CorrectionNotice.objects.create(
        case=case,
        problems=rows,
        issued_by=actor,
        issued_at=now,
        answer_by=add_working_days(today, days),
    )
    _move(
        case,
        to=CaseState.CORRECTION,
        action=CaseAction.CORRECTION_REQUEST,
        actor=actor,
        now=now,
        fields={"pauses": _pause(case, today)},
        detail={"problems": len(rows), "answer_by": notice.answer_by.isoformat()},
    )
    _notify(
        case,
        "correction",
        _milestone_text(
            case,
            gettext_noop(
                "Application %(number)s needs corrections by %(date)s; see the one-time notice."
            ),
            date=notice.answer_by.isoformat(),
        ),
    )
    return notice


@audited("cases.case.correction_answer", timeline=True)
def case_correction_answer(*, actor: Account, case_id: int, now: datetime | None = None) -> Case:
    """The applicant (or the clerk, at the window) says the notice is answered: the case goes
    back to checking and the clock runs again. Refused after the notice's date."""
    now = now or timezone.now()
    perm = Perm.WINDOW if isinstance(actor, StaffUser) else Perm.APPLY
    case = selectors.access_case(actor, case_id, perm, for_update=True)
    CASE.check(case, CaseState.PRE_REVIEW)
    notice = CorrectionNotice.objects.get(case=case)
    today = _today(now)
    if today > notice.answer_by:
        raise DomainError(
            ErrorCode.CORRECTION_LATE,
            _("The corrections were due by %(date)s; the application can no longer be completed.")
            % {"date": notice.answer_by.isoformat()},
        )
    missing = [line for line in _missing_required(case) if notice.names_material(line.material_id)]
    if missing:
        raise DomainError(
            ErrorCode.MATERIAL_REQUIRED,
            _("Required material missing: %(names)s.")
            % {"names": "、".join(line.name for line in missing)},
        )
    CorrectionNotice.objects.filter(pk=notice.pk).update(answered_at=now)
    return _move(
        case,
        to=CaseState.PRE_REVIEW,
        action=CaseAction.CORRECTION_ANSWER,
        actor=actor,
        now=now,
        fields={"pauses": _resume(case, today)},
    )


def _close_fields(case: Case, result: str, now: datetime, reason: str) -> dict[str, Any]:
    return {
        "result": result,
        "retention": case.retention_map.get(result, ""),
        "result_reason": reason,
        "closed_at": now,
        "deadline_status": DeadlineStatus.NONE,
    }


@audited("cases.case.correction_lapse", timeline=True)
def case_correction_lapse(
    *, actor: StaffUser | None, case_id: int, now: datetime | None = None
) -> Case:
    """A notice not answered in time: the application is not accepted."""
    now = now or timezone.now()
    case = selectors.access_case(
        actor, case_id, Perm.WINDOW if actor is not None else Perm.SWEEP, for_update=True
    )
    notice = CorrectionNotice.objects.filter(case=case).first()
    if notice is None or _today(now) <= notice.answer_by:
        raise Conflict(
            ErrorCode.CORRECTION_LATE, _("The applicant still has time to make the corrections.")
        )
    reason = _milestone_text(
        case, gettext_noop("Corrections not made by the date of the one-time notice.")
    )
    return _move(
        case,
        to=CaseState.NOT_ACCEPTED,
        action=CaseAction.CORRECTION_LAPSE,
        actor=actor,
        now=now,
        fields=_close_fields(case, CaseResult.NOT_ACCEPTED, now, reason),
    )


def _accepted(case: Case, actor: StaffUser, now: datetime) -> None:
    """The move to accepted (受理), once every required material is there: the window's
    acceptance and the 即办 decision at the window both make it."""
    _require_materials(case)
    _move(
        case,
        to=CaseState.ACCEPTED,
        action=CaseAction.ACCEPT,
        actor=actor,
        now=now,
        fields={"accepted_at": now},
    )


@audited("cases.case.accept", timeline=True)
def case_accept(*, actor: StaffUser, case_id: int, now: datetime | None = None) -> Case:
    """受理: the application is complete. It goes to the deciding department's inbox."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.WINDOW, for_update=True)
    CASE.check(case, CaseState.ACCEPTED)
    _accepted(case, actor, now)
    _notify(
        case,
        "accept",
        _milestone_text(
            case,
            gettext_noop("Application %(number)s was accepted; it is due by %(date)s."),
            date=case.due_date.isoformat() if case.due_date else "-",
        ),
    )
    return case


@audited("cases.case.refuse_acceptance", timeline=True)
def case_refuse_acceptance(
    *, actor: StaffUser, case_id: int, reason: str, now: datetime | None = None
) -> Case:
    """不予受理, with the reason the applicant is told."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.WINDOW, for_update=True)
    text = _reason(reason)
    _move(
        case,
        to=CaseState.NOT_ACCEPTED,
        action=CaseAction.REFUSE_ACCEPTANCE,
        actor=actor,
        now=now,
        fields=_close_fields(case, CaseResult.NOT_ACCEPTED, now, text),
        reason=text,
    )
    _notify(
        case,
        "not_accepted",
        _milestone_text(case, gettext_noop("Application %(number)s was not accepted.")),
    )
    _rating_invite(case)
    return case


# --- Review ------------------------------------------------------------------------------------


@audited("cases.case.start_review", timeline=True)
def case_review_start(*, actor: StaffUser, case_id: int, now: datetime | None = None) -> Case:
    """An approver of the department takes an accepted case: it is theirs to review."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.REVIEW, for_update=True)
    return _move(
        case,
        to=CaseState.IN_REVIEW,
        action=CaseAction.START_REVIEW,
        actor=actor,
        now=now,
        fields={"assignee": actor},
    )


def _assignee(case: Case, actor: StaffUser) -> None:
    if case.assignee_id != actor.pk:
        raise Conflict(ErrorCode.NOT_ASSIGNED, _("This case is assigned to another approver."))


@audited("cases.case.assign", timeline=True)
def case_assign(
    *, actor: StaffUser, case_id: int, assignee_id: int, now: datetime | None = None
) -> Case:
    """Reassign a case in review to another approver of its department."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.REVIEW, for_update=True)
    if case.state not in (CaseState.IN_REVIEW, CaseState.SUSPENDED):
        CASE.check(case, CaseState.IN_REVIEW)
    assignee = StaffUser.objects.filter(pk=assignee_id, is_active=True).first()
    if assignee is None or not RULES.can(assignee, Perm.REVIEW, case.place):
        raise DomainError(
            ErrorCode.ASSIGNEE_INVALID, _("The new approver must review this department's cases.")
        )
    Case.objects.filter(pk=case.pk).update(assignee=assignee)
    case.assignee = assignee  # type: ignore[assignment]
    CASE.record(
        case, action=CaseAction.ASSIGN, actor=actor, at=now, detail={"assignee_id": assignee.pk}
    )
    return case


@audited("cases.case.step_complete", timeline=True)
def case_step_complete(
    *, actor: StaffUser, case_id: int, note: str = "", now: datetime | None = None
) -> Case:
    """Complete the current review step before the decision (审查, 现场核查, 公示 ...). A
    second approval is done by an approver who did none of the steps before it."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.REVIEW, for_update=True)
    if case.state != CaseState.IN_REVIEW:
        CASE.check(case, CaseState.DECIDED)
    step = case.current_step
    if step == StepKind.DECIDE:
        raise Conflict(ErrorCode.STEP_PENDING, _("Only the decision is left."))
    if step == StepKind.SECOND_APPROVAL:
        if actor.pk in case.step_actors:
            raise Conflict(ErrorCode.SAME_APPROVER, _("A second approval needs another approver."))
    else:
        _assignee(case, actor)
    claimed = Case.objects.filter(pk=case.pk, step_index=case.step_index).update(
        step_index=F("step_index") + 1
    )
    if not claimed:
        raise Conflict("state_changed", _("Someone completed this step a moment ago."))
    case.step_index += 1
    Case.objects.filter(pk=case.pk).update(step_actors=[*case.step_actors, actor.pk])
    case.step_actors = [*case.step_actors, actor.pk]
    CASE.record(
        case,
        action=CaseAction.STEP_COMPLETE,
        actor=actor,
        at=now,
        reason=_reason(note, required=False),
        detail={"step": step},
    )
    if step in case.notify_steps:
        _notify(
            case,
            f"step-{step}",
            _milestone_text(case, gettext_noop("Case %(number)s moved on in review.")),
        )
    return case


@audited("cases.case.suspend", timeline=True)
def case_suspend(
    *,
    actor: StaffUser,
    case_id: int,
    procedure: str,
    reason: str,
    days: int,
    now: datetime | None = None,
) -> Case:
    """A special procedure (听证, 专家评审, 现场核查): the clock stops, with the reason and the
    expected length told to the applicant."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.REVIEW, for_update=True)
    CASE.check(case, CaseState.SUSPENDED)
    _assignee(case, actor)
    if procedure not in SpecialProcedure.values:
        raise DomainError(ErrorCode.INVALID_REASON, _("Choose a special procedure."))
    if not 1 <= days <= SUSPENSION_MAX_DAYS:
        raise DomainError(
            ErrorCode.INVALID_DAYS,
            _("Give between 1 and %(max)d days.") % {"max": SUSPENSION_MAX_DAYS},
        )
    text = _reason(reason)
    _move(
        case,
        to=CaseState.SUSPENDED,
        action=CaseAction.SUSPEND,
        actor=actor,
        now=now,
        fields={"pauses": _pause(case, _today(now)), "suspension": procedure},
        reason=text,
        detail={"procedure": procedure, "days": days},
    )
    _notify(
        case,
        f"suspend-{len(case.pauses)}",
        _milestone_text(
            case, gettext_noop("Case %(number)s is in a special procedure; its clock is paused.")
        ),
    )
    return case


@audited("cases.case.resume", timeline=True)
def case_resume(*, actor: StaffUser, case_id: int, now: datetime | None = None) -> Case:
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.REVIEW, for_update=True)
    CASE.check(case, CaseState.IN_REVIEW)
    _assignee(case, actor)
    return _move(
        case,
        to=CaseState.IN_REVIEW,
        action=CaseAction.RESUME,
        actor=actor,
        now=now,
        fields={"pauses": _resume(case, _today(now)), "suspension": ""},
    )


@audited("cases.case.extension_request", timeline=True)
def case_extension_request(
    *, actor: StaffUser, case_id: int, days: int, reason: str, now: datetime | None = None
) -> CaseExtension:
    """延期: the approver asks the head for more days, with a reason."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.REVIEW, for_update=True)
    if case.state not in (CaseState.IN_REVIEW, CaseState.SUSPENDED):
        CASE.check(case, CaseState.DECIDED)
    _assignee(case, actor)
    if not 1 <= days <= EXTENSION_MAX_DAYS:
        raise DomainError(
            ErrorCode.INVALID_DAYS,
            _("Give between 1 and %(max)d days.") % {"max": EXTENSION_MAX_DAYS},
        )
    if CaseExtension.objects.filter(case=case, approved__isnull=True).exists():
        raise Conflict(ErrorCode.EXTENSION_PENDING, _("An extension is already waiting."))
    extension = CaseExtension.objects.create(
        case=case, days=days, reason=_reason(reason), requested_by=actor, requested_at=now
    )
    CASE.record(
        case,
        action=CaseAction.EXTENSION_REQUEST,
        actor=actor,
        at=now,
        reason=extension.reason,
        detail={"days": days},
    )
    return extension


@audited("cases.case.extension_decide", timeline=True)
def case_extension_decide(
    *, actor: StaffUser, extension_id: int, approve: bool, now: datetime | None = None
) -> CaseExtension:
    """The department's head approves or refuses an extension; an approved one lengthens
    the limit, and the applicant is told."""
    now = now or timezone.now()
    extension = CaseExtension.objects.filter(pk=extension_id, approved__isnull=True).first()
    if extension is None:
        raise NotFound(ErrorCode.EXTENSION_NOT_FOUND, _("No such extension waiting."))
    case = selectors.access_case(actor, extension.case_id, Perm.EXTEND, for_update=True)
    claimed = CaseExtension.objects.filter(pk=extension.pk, approved__isnull=True).update(
        approved=approve, decided_by=actor, decided_at=now
    )
    if not claimed:
        raise Conflict("state_changed", _("This extension was decided a moment ago."))
    extension.approved = approve
    if approve:
        case.extension_days += extension.days
        fields: dict[str, Any] = {"extension_days": case.extension_days}
        if case.state in OPEN_STATES:
            fields.update(_clock_fields(case, _today(now)))
        Case.objects.filter(pk=case.pk).update(**fields)
        for name, value in fields.items():
            setattr(case, name, value)
    CASE.record(
        case,
        action=CaseAction.EXTENSION_DECIDE,
        actor=actor,
        at=now,
        reason=extension.reason,
        detail={"days": extension.days, "approved": approve},
    )
    if approve:
        _notify(
            case,
            f"extension-{extension.pk}",
            _milestone_text(
                case,
                gettext_noop(
                    "Case %(number)s was extended by %(days)d days; it is now due by %(date)s."
                ),
                days=extension.days,
                date=case.due_date.isoformat() if case.due_date else "-",
            ),
        )
    return extension


def _licences_issue(
    case: Case,
    actor: StaffUser,
    now: datetime,
    face: dict[str, Any] | None = None,
    *,
    delegated: bool = False,
) -> None:
    """A grant issues the item's e-licences in the decision's transaction (decision 0036),
    recorded on the timeline. A decision the department delegated to the window (即办,
    decision 0034) issues them in the platform's name: the clerk is no issuer, and the
    timeline and audit say who decided."""
    issued = licensing.licences_issue_for_decision(
        actor=None if delegated else actor, case=case, now=now, face=face
    )
    if issued:
        CASE.record(
            case, action=CaseAction.LICENCE, actor=actor, at=now, detail={"licences": issued}
        )


@audited("cases.case.decide", timeline=True)
def case_decide(
    *,
    actor: StaffUser,
    case_id: int,
    result: str,
    reason: str = "",
    licence_face: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Case:
    """The decision, by the case's approver at the decision step: approved, approved with
    conditions (named in the reason) or refused (with its legal reason). A grant of an item
    that produces a licence issues it in the same transaction (face fields from the case,
    completed by `licence_face`), signed once the decision commits (decision 0036)."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.REVIEW, for_update=True)
    CASE.check(case, CaseState.DECIDED)
    _assignee(case, actor)
    if case.current_step != StepKind.DECIDE:
        raise Conflict(
            ErrorCode.STEP_PENDING,
            _("Complete the review steps first: %(step)s is next.")
            % {"step": StepKind(case.current_step).label if case.current_step else "-"},
        )
    if result not in DECISIONS:
        raise DomainError(ErrorCode.INVALID_RESULT, _("Choose a decision."))
    text = _reason(reason, required=result != CaseResult.APPROVED)
    fields = _close_fields(case, result, now, text)
    fields.update({"decided_at": now, "decided_by": actor, "closed_at": None})
    fields["step_actors"] = [*case.step_actors, actor.pk]
    _move(
        case,
        to=CaseState.DECIDED,
        action=CaseAction.DECIDE,
        actor=actor,
        now=now,
        fields=fields,
        reason=text,
        detail={"result": result},
    )
    _licences_issue(case, actor, now, licence_face)
    _notify(
        case,
        "decide",
        _milestone_text(
            case,
            gettext_noop("Case %(number)s was decided: %(result)s."),
            result=str(CaseResult(result).label),
        ),
    )
    return case


@audited("cases.case.produce_result", timeline=True)
def case_result_produce(*, actor: StaffUser, case_id: int, now: datetime | None = None) -> Case:
    """The result (licence, certificate, decision letter) is made and sent to the issuing
    side."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.REVIEW, for_update=True)
    return _move(
        case, to=CaseState.RESULT_PRODUCED, action=CaseAction.PRODUCE_RESULT, actor=actor, now=now
    )


@audited("cases.case.dispatch", timeline=True)
def case_dispatch(*, actor: StaffUser, case_id: int, now: datetime | None = None) -> Case:
    """The issuance window of the accepting centre has the result: it waits for delivery."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.WINDOW, for_update=True)
    _move(case, to=CaseState.AWAITING_DELIVERY, action=CaseAction.DISPATCH, actor=actor, now=now)
    _notify(
        case,
        "dispatch",
        _milestone_text(case, gettext_noop("The result of case %(number)s is ready for you.")),
    )
    return case


@audited("cases.case.deliver", timeline=True)
def case_deliver(
    *, actor: StaffUser | HallDevice, case_id: int, note: str = "", now: datetime | None = None
) -> Case:
    """The applicant has the result: at the window, from the centre's pickup locker (the
    locker, a hall device, delivers), or by a courier whose delivery was confirmed."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.DELIVER, for_update=True)
    _move(
        case,
        to=CaseState.DELIVERED,
        action=CaseAction.DELIVER,
        actor=actor,
        now=now,
        fields={"delivered_at": now, "closed_at": now},
        reason=_reason(note, required=False),
    )
    _rating_invite(case)
    return case


@audited("cases.case.dispatch", timeline=True)
def case_delivery_note(
    *,
    actor: StaffUser | None,
    case_id: int,
    note: str,
    detail: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Case:
    """A step of the delivery of a result awaiting it, on the case's timeline (put in a
    locker, sent by courier, moved back to the window): not a move."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.DELIVER, for_update=True)
    if case.state != CaseState.AWAITING_DELIVERY:
        CASE.check(case, CaseState.DELIVERED)
    CASE.record(
        case,
        action=CaseAction.DISPATCH,
        actor=actor,
        at=now,
        reason=_reason(note),
        detail=dict(detail or {}),
    )
    return case


@audited("cases.case.courier_reveal", timeline=True)
def case_courier_address_reveal(
    *, actor: StaffUser, case_id: int, now: datetime | None = None
) -> Courier:
    """The courier's details in full, for the clerk of the case's centre who writes the
    waybill, while the result waits to be sent. Each reading is on the case's timeline (the
    applicant sees that their address was read, and by which window) and in the audit log, in
    the transaction that decrypts."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.WINDOW, for_update=True)
    row = CourierAddress.objects.filter(case=case).first()
    if case.state != CaseState.AWAITING_DELIVERY or row is None:
        raise Conflict(
            ErrorCode.COURIER_ADDRESS,
            _("The address is shown only for a result waiting to be sent by courier."),
        )
    CASE.record(case, action=CaseAction.COURIER_REVEAL, actor=actor, at=now)
    return Courier(
        pii.reveal(row, "recipient"), pii.reveal(row, "phone"), pii.reveal(row, "address")
    )


@audited("cases.case.archive", timeline=True)
def case_archive(*, actor: StaffUser | None, case_id: int, now: datetime | None = None) -> Case:
    now = now or timezone.now()
    perm = Perm.REVIEW if actor is not None else Perm.SWEEP
    case = selectors.access_case(actor, case_id, perm, for_update=True)
    return _move(case, to=CaseState.ARCHIVED, action=CaseAction.ARCHIVE, actor=actor, now=now)


@audited("cases.case.withdraw", timeline=True)
def case_withdraw(
    *, actor: Citizen, case_id: int, reason: str = "", now: datetime | None = None
) -> Case:
    """The applicant withdraws, any time before the decision."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.APPLY, for_update=True)
    if case.state not in WITHDRAWABLE:
        CASE.check(case, CaseState.WITHDRAWN)
    text = _reason(reason, required=False)
    return _move(
        case,
        to=CaseState.WITHDRAWN,
        action=CaseAction.WITHDRAW,
        actor=actor,
        now=now,
        fields=_close_fields(case, CaseResult.WITHDRAWN, now, text),
        reason=text,
    )


# --- The sweep ---------------------------------------------------------------------------------


@dataclass
class SweepReport:
    looked_at: int = 0
    changed: int = 0
    warned: int = 0
    # Open cases whose clocks were computed in Python (marks missing, or a new calendar).
    recomputed: int = 0


# Rows read per round trip, and case ids named in one UPDATE (well under SQLite's limit of
# bound parameters).
SWEEP_BATCH = 2000
SWEEP_UPDATE_IDS = 500
# Cases named in one warning; the rest are counted by the inbox.
DIGEST_LINES = 50
_WARN_STATUSES = (DeadlineStatus.WARNING, DeadlineStatus.OVERDUE, DeadlineStatus.SEVERELY_OVERDUE)
_SWEEP_COLUMNS = (
    "id",
    "number",
    "state",
    "limit_value",
    "limit_unit",
    "extension_days",
    "received_on",
    "pauses_text",
    "deadline_status",
    "due_date",
    "warn_on",
    "severe_on",
    "assignee_id",
    "department_id",
)


def _warn(key: str, user_id: int, rows: list[tuple[str, str]], today: date) -> None:
    """One in-app message to an approver (or a head) listing the cases that became nearly
    due, overdue or severely overdue in this run: a digest, not a message per case. A second
    run finds nothing newly changed and sends nothing."""
    rows = sorted(rows)
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()[:16]
    labels: dict[str, str] = {s: str(DeadlineStatus(s).label) for s in _WARN_STATUSES}
    lines = [f"{number}: {labels[status]}" for number, status in rows[:DIGEST_LINES]]
    more = len(rows) > DIGEST_LINES
    outbox_enqueue(
        channel="in_app",
        template="generic",
        context={"text": "\n".join(lines) + ("\n…" if more else "")},
        user_id=user_id,
        idempotency_key=f"cases:{key}:{user_id}:{today.isoformat()}:{digest}",
    )


# A case the sweep changes: (id, number, assignee id, department id).
_Changed = tuple[int, str, int | None, int]
# The clock's stored columns: (status, due date, warn on, severe on).
_Stored = tuple[str, date | None, date | None, date | None]
# What a group of cases goes from and to: (state, old columns, new columns).
_Change = tuple[str, _Stored, _Stored]


def _sweep_write(change: _Change, cases: list[_Changed]) -> list[_Changed]:
    """Store new clock columns on cases of one state that had the same old ones, in
    set-based UPDATEs of SWEEP_UPDATE_IDS ids each. A case a service moved since it was
    read (to another state, paused, or extended: its stored clock is no longer the one
    read) is left alone, so the sweep never writes over a fresher clock. Returns the cases
    written."""
    state, (old_status, old_due, _old_warn, _old_severe), new = change
    status, due, warn_on, severe_on = new
    written: list[_Changed] = []
    for start in range(0, len(cases), SWEEP_UPDATE_IDS):
        chunk = cases[start : start + SWEEP_UPDATE_IDS]
        ids = [row[0] for row in chunk]
        still = Case.objects.filter(pk__in=ids, state=state, deadline_status=old_status)
        still = (
            still.filter(due_date__isnull=True)
            if old_due is None
            else still.filter(due_date=old_due)
        )
        count = still.update(
            deadline_status=status, due_date=due, warn_on=warn_on, severe_on=severe_on
        )
        if count == len(chunk):
            written.extend(chunk)
        elif count:
            done = set(
                Case.objects.filter(pk__in=ids, deadline_status=status, due_date=due).values_list(
                    "pk", flat=True
                )
            )
            written.extend(row for row in chunk if row[0] in done)
    return written


def _sweep_read(
    rows: QuerySet[Case], today: date, report: SweepReport
) -> dict[_Change, list[_Changed]]:
    """The cases whose stored clock columns are not what `today` makes them, computed in
    Python and grouped by state and by old and new values: the cases whose marks were
    never stored, and every open case once the calendar changed. Only the clock's columns
    are read (no model instances), and cases with the same clock are computed once; the
    pauses are read as the database's text and decoded once per distinct clock."""
    memo: dict[tuple[Any, ...], dict[str, Any]] = {}
    groups: dict[_Change, list[_Changed]] = {}
    rows = rows.order_by().annotate(pauses_text=Cast("pauses", TextField()))
    for row in rows.values_list(*_SWEEP_COLUMNS).iterator(chunk_size=SWEEP_BATCH):
        pk, number, state, value, unit, extension, received, pauses = row[:8]
        old: _Stored = row[8:12]
        report.recomputed += 1
        key = (value, unit, extension, received, pauses)
        if key not in memo:
            probe = Case(
                limit_value=value,
                limit_unit=unit,
                extension_days=extension,
                received_on=received,
                pauses=json.loads(pauses) if pauses else [],
            )
            memo[key] = _clock_fields(probe, today)
        fields = memo[key]
        new: _Stored = (
            fields["deadline_status"],
            fields.get("due_date", old[1]),  # a paused clock keeps the due date it had
            fields["warn_on"],
            fields["severe_on"],
        )
        if new == old:
            continue
        groups.setdefault((state, old, new), []).append((pk, number or "", row[12], row[13]))
    return groups


def _sweep_marked(rows: QuerySet[Case], today: date) -> tuple[int, dict[str, list[_Changed]]]:
    """The running clocks with stored marks whose status `today` moves, one set-based
    UPDATE per new status (comparisons of `today` with the marks; no row is read into
    Python but the ones that become nearly due, overdue or severely overdue, for their
    warnings). Returns how many cases changed, and those to warn of by new status. The
    UPDATE repeats the comparisons, so a case a service moved in between gets the status of
    its fresher marks."""
    running = rows.filter(warn_on__isnull=False).exclude(deadline_status=DeadlineStatus.PAUSED)
    severe = Q(severe_on__isnull=False, severe_on__lte=today)
    when = {
        DeadlineStatus.SEVERELY_OVERDUE: severe,
        DeadlineStatus.OVERDUE: Q(due_date__lt=today) & ~severe,
        DeadlineStatus.WARNING: Q(warn_on__lte=today, due_date__gte=today),
        DeadlineStatus.ON_TIME: Q(warn_on__gt=today, due_date__gte=today),
    }
    changed = 0
    to_warn: dict[str, list[_Changed]] = {}
    for status, condition in when.items():
        moving = running.filter(condition).exclude(deadline_status=status).order_by()
        if status in _WARN_STATUSES:
            found = moving.values_list("id", "number", "assignee_id", "department_id")
            to_warn[status] = [(pk, number or "", a, d) for pk, number, a, d in found]
            count = moving.update(deadline_status=status) if to_warn[status] else 0
        else:
            count = moving.update(deadline_status=status)
        changed += count
    return changed, to_warn


@audited("cases.sweep", unless=lambda report: report.changed == 0)
def case_deadline_sweep(
    *, actor: StaffUser | None = None, today: date | None = None, ids: Iterable[int] = ()
) -> SweepReport:
    """Store every open case's deadline status as of `today`, and warn the approver of
    each case, and the heads of its department, when it becomes nearly due, overdue or
    severely overdue. Idempotent: a second run on the same day changes and sends nothing.

    Set-based, for tens of thousands of open cases (decision 0039): each move stores the
    days on which the clock becomes nearly due, overdue and severely overdue, so the sweep
    is one UPDATE per status comparing `today` with them (`_sweep_marked`). Only cases
    without stored marks, or every open case when the working-day calendar changed since
    the last run, have their clocks computed in Python (`_sweep_read`, `_sweep_write`)."""
    from onestop.core.audit import audit_record

    RULES.require(actor, Perm.SWEEP)
    today = today or timezone.localdate()
    report = SweepReport()
    rows = Case.objects.filter(state__in=OPEN_STATES)
    wanted = list(ids)
    if wanted:
        rows = rows.filter(pk__in=wanted)
    report.looked_at = rows.count()
    fingerprint = calendar_fingerprint()
    seen = SweepCalendar.objects.filter(pk=1).values_list("fingerprint", flat=True).first()
    recompute = (
        rows
        if seen != fingerprint
        else rows.filter(warn_on__isnull=True)
        .exclude(deadline_status=DeadlineStatus.PAUSED)
        .filter(Q(limit_value__isnull=False) | Q(limit_unit="immediate"))
        .exclude(received_on__isnull=True)
    )
    groups = _sweep_read(recompute, today, report)
    to_approver: dict[int, list[tuple[str, str]]] = {}
    to_department: dict[int, list[tuple[str, str]]] = {}

    def warn(status: str, written: list[_Changed]) -> None:
        report.warned += len(written)
        for _pk, number, assignee_id, department_id in written:
            line = (number, status)
            to_department.setdefault(department_id, []).append(line)
            if assignee_id:
                to_approver.setdefault(assignee_id, []).append(line)

    for change in sorted(groups, key=repr):
        written = _sweep_write(change, groups[change])
        report.changed += len(written)
        (_state, (old_status, *_old), (status, *_new)) = change
        if status in _WARN_STATUSES and status != old_status:
            warn(status, written)
    changed, to_warn = _sweep_marked(rows, today)
    report.changed += changed
    for status, moved in to_warn.items():
        warn(status, moved)
    if seen != fingerprint and not wanted:
        SweepCalendar.objects.update_or_create(
            pk=1, defaults={"fingerprint": fingerprint, "swept_on": today}
        )
    for assignee_id, warned in to_approver.items():
        _warn("deadline", assignee_id, warned, today)
    for department_id, warned in to_department.items():
        for head_id in selectors.department_head_ids(department_id):
            _warn("deadline-head", head_id, warned, today)
    if report.changed:
        audit_record(
            actor=actor,
            action="cases.sweep",
            object_type="cases.case",
            object_id=today.isoformat(),
            after={
                "looked_at": report.looked_at,
                "changed": report.changed,
                "recomputed": report.recomputed,
            },
        )
    return report


def cases_sweep(*, today: date | None = None) -> dict[str, int]:
    """The periodic sweep, as the platform: deadlines stored and warned, and applications
    whose one-time notice ran out without an answer closed as not accepted. Idempotent."""
    today = today or timezone.localdate()
    report = case_deadline_sweep(actor=None, today=today)
    lapsed = 0
    late = CorrectionNotice.objects.filter(
        case__state=CaseState.CORRECTION, answer_by__lt=today, answered_at__isnull=True
    ).values_list("case_id", flat=True)
    end_of_day = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    for case_id in list(late):
        case_correction_lapse(actor=None, case_id=case_id, now=end_of_day)
        lapsed += 1
    return {
        "looked_at": report.looked_at,
        "changed": report.changed,
        "warned": report.warned,
        "lapsed": lapsed,
    }
