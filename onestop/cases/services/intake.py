"""Starting an application, at a window or online as a draft, and its materials: uploads,
paper originals checked at the window, e-licences instead of paper, and what the
government already holds."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.cases import licensing, selectors
from onestop.cases.casetypes import case_type_for
from onestop.cases.enums import (
    CASE,
    CaseAction,
    CaseChannel,
    CaseState,
    DeliveryMethod,
    ErrorCode,
    Provision,
)
from onestop.cases.models import Case, CaseMaterial, CorrectionNotice, CourierAddress
from onestop.cases.policies import RULES, Perm
from onestop.cases.services._moves import clock_fields, local_day, number_next
from onestop.cases.values import Courier, courier_clean, phone_clean
from onestop.catalog import selectors as catalog
from onestop.centres import selectors as centres
from onestop.core import pii, uploads
from onestop.core.access import Actor, Place
from onestop.core.errors import Conflict, DomainError, NotFound
from onestop.core.service import audited
from onestop.hall import selectors as hall
from onestop.hall import services as hall_services
from onestop.hall.enums import AT_WINDOW, TicketKind
from onestop.identity import selectors as identity
from onestop.identity.actors import Account, Citizen, StaffUser

# Uploads: at most this many bytes, and only the kinds core.uploads tells by their first bytes.
UPLOAD_MAX_BYTES = 10 * 1024 * 1024

# States in which materials may still change: before acceptance.
_EDITABLE = (CaseState.DRAFT, CaseState.PRE_REVIEW, CaseState.CORRECTION)


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
        phone=phone_clean(phone),
        delivery_method=delivery_method,
        language=language,
        now=now,
    )
    case.centre = centre
    case.ticket_id = ticket_id
    case.state = CaseState.PRE_REVIEW
    case.number = number_next(centre.code, local_day(now))
    case.received_on = local_day(now)
    case.submitted_at = now
    for name, value in clock_fields(case, local_day(now)).items():
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
        phone=phone_clean(phone),
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
