"""Cases (办件): an application for one published version of a service item, from its first
draft or the window's acceptance to the archive.

- `CaseType`: the review steps, the steps that notify the applicant and each result's
  retention (保管期限) for one item, as configuration; items without a row get the defaults
  of their item type (`casetypes.py`). A case copies its type when it is created, so changing
  the configuration never changes an open case.
- `Case`: the version it was applied under (a published version is never edited, and a new
  one does not touch the case), the applicant (a person or an enterprise) and agent, the
  channel, the accepting centre and the deciding department (different for 通办), the ticket
  it came from (by id: the hall is below and owns its tickets), its number, its clock.
- `CaseMaterial`: one line of the checklist as provided (an upload, a paper original, an
  e-licence reference, or held by the government).
- `CorrectionNotice`: the one-time notice (一次性告知), at most one per case.
- `CaseExtension`: an extension (延期) asked by the approver, decided by the head.
- `CourierAddress`: where a result sent by courier goes (recipient, phone, address), sealed.
- `CaseEvent`: the timeline, written by the CASE machine.
- `CaseNumberSequence`: the counter behind case numbers, one row per prefix and day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from onestop.cases.enums import (
    CaseAction,
    CaseChannel,
    CaseResult,
    CaseState,
    DeadlineStatus,
    DeliveryMethod,
    Provision,
    SpecialProcedure,
)
from onestop.cases.storage import case_files_storage
from onestop.core.access import Place
from onestop.core.pii import PiiKind, index_field, masked_field, sealed_field


class CaseType(models.Model):
    """How the cases of one item are handled, when the item's type's defaults do not fit:
    `steps` lists StepKind values ending with "decide", `notify_steps` those the applicant is
    told about, `retention` maps each CaseResult to a Retention."""

    item_key = models.CharField(max_length=64, unique=True)
    steps = models.JSONField(default=list)
    notify_steps = models.JSONField(default=list, blank=True)
    retention = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item_key"]

    def __str__(self) -> str:
        return f"case type of {self.item_key}"


class CaseNumberSequence(models.Model):
    """The last sequence number given under one prefix (a centre's code, or WEB for online
    applications) on one day. Taken with an UPDATE … SET last = last + 1, which locks the
    row, so two acceptances at one centre never get one number."""

    prefix = models.CharField(max_length=40)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "day"], name="cases_sequence_prefix_day")
        ]

    def __str__(self) -> str:
        return f"{self.prefix} {self.day}: {self.last}"


class Case(models.Model):
    PII_FIELDS = {"contact_phone": PiiKind.PHONE}

    # Given when the application reaches the government (submitted online or made at a
    # window); a draft has none. Format: docs/decisions/0022-cases.md.
    number = models.CharField(max_length=64, unique=True, null=True, blank=True)
    item = models.ForeignKey("catalog.ServiceItem", on_delete=models.PROTECT, related_name="+")
    item_key = models.CharField(max_length=64, db_index=True)
    item_name = models.CharField(max_length=200)
    applicant_person = models.ForeignKey(
        "identity.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applicant_enterprise = models.ForeignKey(
        "identity.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agent = models.ForeignKey(
        "identity.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The account that applied online (the applicant, or whoever holds their account).
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=CaseChannel.choices)
    # Accepting centre (null until an online application is taken at one) and deciding
    # department; they differ for 通办.
    centre = models.ForeignKey(
        "centres.Centre", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey("core.Department", on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=12, blank=True)
    ticket_id = models.BigIntegerField(null=True, blank=True)
    contact_phone_sealed = sealed_field()
    contact_phone_index = index_field()
    contact_phone_masked = masked_field("phone")
    language = models.CharField(max_length=10, default="zh-hans")

    state = models.CharField(max_length=20, choices=CaseState.choices, default=CaseState.DRAFT)
    # The case type as it was when the case was created, and where the review stands.
    steps = models.JSONField(default=list)
    notify_steps = models.JSONField(default=list, blank=True)
    retention_map = models.JSONField(default=dict, blank=True)
    step_index = models.PositiveSmallIntegerField(default=0)
    # Who completed each step so far, in order (a second approval needs someone else).
    step_actors = models.JSONField(default=list, blank=True)

    # The clock: the promised limit of the version, counted from `received_on`, with pauses
    # (corrections, special procedures) as [[from, to|null], ...] in ISO dates.
    limit_value = models.PositiveSmallIntegerField(null=True, blank=True)
    limit_unit = models.CharField(max_length=14, blank=True)
    statutory_value = models.PositiveSmallIntegerField(null=True, blank=True)
    statutory_unit = models.CharField(max_length=14, blank=True)
    extension_days = models.PositiveSmallIntegerField(default=0)
    received_on = models.DateField(null=True, blank=True)
    pauses = models.JSONField(default=list, blank=True)
    # Indexed with the state (and the department, for the inbox): the sweep rewrites it on
    # many cases at once, and each index holding it is written too.
    due_date = models.DateField(null=True, blank=True)
    deadline_status = models.CharField(
        max_length=20, choices=DeadlineStatus.choices, default=DeadlineStatus.NONE
    )
    # Where a running clock crosses its lines, stored with the due date at each move
    # (null while paused, or with no limit): nearly due from `warn_on`, overdue from the day
    # after `due_date`, severely overdue from `severe_on`. The sweep classifies open cases by
    # comparing them with the day, in SQL (decision 0039). Not indexed: an index on
    # `warn_on` leads SQLite to walk it for "nearly due" (most open cases have passed their
    # `warn_on`) rather than the (state, due date) index; the sweep's writes touch only
    # `deadline_status`, which no index holds.
    warn_on = models.DateField(null=True, blank=True)
    severe_on = models.DateField(null=True, blank=True)
    suspension = models.CharField(max_length=20, choices=SpecialProcedure.choices, blank=True)

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(max_length=30, choices=CaseResult.choices, blank=True)
    retention = models.CharField(max_length=10, blank=True)
    result_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivery_method = models.CharField(
        max_length=10, choices=DeliveryMethod.choices, default=DeliveryMethod.WINDOW
    )

    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applicant_person__isnull=False) | Q(applicant_enterprise__isnull=False),
                name="cases_case_has_applicant",
            ),
        ]
        indexes = [
            # The inbox: one department's cases in one state, soonest due first.
            models.Index(
                fields=["department", "state", "due_date", "id"], name="cases_inbox_order"
            ),
            models.Index(fields=["centre", "state"], name="cases_centre_state"),
            models.Index(fields=["state", "due_date"], name="cases_state_due"),
            models.Index(fields=["applicant_person", "created_at"], name="cases_person_created"),
        ]

    def __str__(self) -> str:
        return self.number or f"draft #{self.pk}"

    @property
    def place(self) -> Place:
        return Place(
            centre_id=self.centre_id,
            department_id=self.department_id,
            region_code=self.region_code,
            person_id=self.applicant_person_id,
            account_id=self.account_id,
        )

    @property
    def current_step(self) -> str:
        return self.steps[self.step_index] if self.step_index < len(self.steps) else ""

    def pause_list(self) -> list[tuple[date, date | None]]:
        return [
            (date.fromisoformat(p), date.fromisoformat(r) if r else None) for p, r in self.pauses
        ]


def _upload_to(instance: CaseMaterial, filename: str) -> str:
    # The stored name never carries the applicant's file name.
    day = timezone.localdate()
    return f"{day:%Y/%m}/{instance.case_id}/{instance.sha256[:16]}{instance.extension}"


class CaseMaterial(models.Model):
    """One material of the checklist, as provided for this case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    # The checklist line of the version applied under (null: something extra the clerk took).
    material = models.ForeignKey(
        "catalog.Material", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=300)
    required = models.BooleanField(default=True)
    provision = models.CharField(
        max_length=10, choices=Provision.choices, default=Provision.MISSING
    )
    file = models.FileField(storage=case_files_storage, upload_to=_upload_to, blank=True)
    content_type = models.CharField(max_length=40, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    e_licence_ref = models.CharField(max_length=100, blank=True)
    checked = models.BooleanField(default=False, help_text="paper original seen at the window")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "material"],
                condition=Q(material__isnull=False),
                name="cases_material_once",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def extension(self) -> str:
        return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(
            self.content_type, ""
        )

    @property
    def is_provided(self) -> bool:
        return self.provision != Provision.MISSING


class CorrectionNotice(models.Model):
    """一次性告知: everything missing or wrong, named at once. `problems` is a list of
    {"material_id": int|None, "name": str, "problem": str}; later checks may not ask for
    anything it does not name."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="notice")
    problems = models.JSONField(default=list)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    answer_by = models.DateField()
    answered_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"notice of case #{self.case_id}"

    def names_material(self, material_id: int | None) -> bool:
        return any(p.get("material_id") == material_id for p in self.problems)


class CaseExtension(models.Model):
    """延期: asked by the approver with a reason, approved or refused by the department's
    head; an approved one adds its days to the limit and is shown to the applicant."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField()
    reason = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    approved = models.BooleanField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(approved__isnull=True), name="cases_one_open_extension"
            )
        ]

    def __str__(self) -> str:
        return f"extension of case #{self.case_id} by {self.days} days"


class CourierAddress(models.Model):
    """Where the applicant wants the result sent when they chose the courier: the recipient,
    their mobile number and the address, each encrypted at rest (core.pii) with a mask for
    the issuance window's list; the full address is revealed, audited, to the clerk who
    records the dispatch."""

    PII_FIELDS = {"recipient": PiiKind.NAME, "phone": PiiKind.PHONE, "address": PiiKind.ADDRESS}

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="courier_address")
    recipient_sealed = sealed_field()
    recipient_masked = masked_field("recipient")
    phone_sealed = sealed_field()
    phone_index = index_field()
    phone_masked = masked_field("phone")
    address_sealed = sealed_field()
    address_masked = masked_field("address")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"courier address of case #{self.case_id}"


class CaseEvent(models.Model):
    """One entry of a case's timeline, written by the CASE machine in the transaction of
    what it records."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=24, choices=CaseAction.choices)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, default="")
    detail: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"case #{self.case_id} {self.action}"


class SweepCalendar(models.Model):
    """The working-day calendar the stored clock marks were computed under, as a
    fingerprint (a single row). When an administrator changes the calendar, or a release
    brings new official holidays, the next sweep finds another fingerprint and computes
    every open case's clock again (decision 0039)."""

    fingerprint = models.CharField(max_length=64)
    swept_on = models.DateField()

    def __str__(self) -> str:
        return f"{self.fingerprint[:12]} ({self.swept_on})"
