"""The 12345 hotline's tables: its lines (热线), the three-level request taxonomy, the routing
table, time-limit rules, and work orders (工单) with their timeline."""

from __future__ import annotations

from datetime import datetime, time

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models
from django.utils import timezone

from onestop.core.access import Place
from onestop.core.i18n import translated, translations_field
from onestop.core.pii import PiiKind, index_field, masked_field, sealed_field
from onestop.core.uploads import EXTENSIONS, private_storage
from onestop.hotline.enums import (
    CallOutcome,
    Channel,
    DueUnit,
    OrderAction,
    OrderKind,
    OrderState,
    PartState,
    Satisfaction,
    Urgency,
)


class Line(models.Model):
    """One of the hotlines merged into 12345: its name, the department behind it, and when
    agents answer it. Staffed around the clock (7×24) or from `opens` to `closes` on the
    weekdays in `weekdays` (1 = Monday ... 7 = Sunday), holidays included or not."""

    code = models.SlugField(max_length=40, unique=True)
    number = models.CharField(max_length=20, blank=True, help_text="the number it replaced")
    name = models.CharField(max_length=80, help_text="zh-Hans")
    name_i18n = translations_field()
    department = models.ForeignKey(
        "core.Department", on_delete=models.PROTECT, related_name="hotline_lines"
    )
    around_the_clock = models.BooleanField(default=False)
    opens = models.TimeField(default=time(8, 0))
    closes = models.TimeField(default=time(20, 0))
    weekdays = models.CharField(max_length=7, default="1234567")
    open_on_holidays = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return translated(self, "name")

    def is_staffed(self, at: datetime, *, is_working_day: bool = True) -> bool:
        """Whether agents answer this line at `at` (local time). `is_working_day` False
        means a public holiday or a weekend day off."""
        if self.around_the_clock:
            return True
        local = timezone.localtime(at)
        if str(local.isoweekday()) not in self.weekdays:
            return False
        if not is_working_day and not self.open_on_holidays and local.isoweekday() < 6:
            return False
        return self.opens <= local.time() < self.closes


class Category(models.Model):
    """One class of the three-level taxonomy (一级 / 二级 / 三级分类). Codes nest by prefix:
    `05`, `0503`, `0503007`. Orders are filed under a third-level class."""

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=60, help_text="zh-Hans")
    name_i18n = translations_field()
    level = models.PositiveSmallIntegerField()
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Words that suggest this class from a caller's text (the keyword suggester), one a line.
    keywords = models.TextField(blank=True, default="")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="hotline_category_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return translated(self, "name")


class RoutingRule(models.Model):
    """Category × region → department. A rule for a class covers its subclasses; a rule
    without a region covers the whole city. With `to_district_bureau`, an order in a
    district goes to the department's bureau in that district (district matters)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="routes")
    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey("core.Department", on_delete=models.PROTECT, related_name="+")
    to_district_bureau = models.BooleanField(default=True)

    class Meta:
        ordering = ["category__code", "region__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "region"], name="hotline_route_category_region"
            ),
            models.UniqueConstraint(
                fields=["category"],
                condition=models.Q(region__isnull=True),
                name="hotline_route_category_citywide",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category_id} × {self.region_id or '*'} → {self.department_id}"


class DueRule(models.Model):
    """A time limit by kind and urgency, overriding enums.DEFAULT_LIMITS."""

    kind = models.CharField(max_length=20, choices=OrderKind.choices)
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    limit = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=12, choices=DueUnit.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "urgency"], name="hotline_due_kind_urgency")
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.urgency}: {self.limit} {self.unit}"


class WorkOrder(models.Model):
    """A work order (工单): one request, from whichever channel, to its answer.

    The caller's phone is held in the PII vault (sealed, blind-indexed, masked). A report
    (举报) keeps its informant from the handling department: the department's pages and API
    read `contact_for_department()`, which is empty for one."""

    PII_FIELDS = {"contact_phone": PiiKind.PHONE}

    number = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=20, choices=OrderKind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    state = models.CharField(max_length=20, choices=OrderState.choices, default=OrderState.NEW)
    line = models.ForeignKey(
        Line, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="orders")
    title = models.CharField(max_length=120)
    text = models.TextField()
    # Where: the region down to the community (社区/村) and the address; optionally a point.
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=12, db_index=True)
    address = models.CharField(max_length=200, blank=True, default="")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    # Who: a name as given, the phone in the vault. Anonymous: nothing is kept of them.
    is_anonymous = models.BooleanField(default=False)
    contact_name = models.CharField(max_length=60, blank=True, default="")
    contact_phone_sealed = sealed_field()
    contact_phone_index = index_field()
    contact_phone_masked = masked_field("phone")
    person = models.ForeignKey(
        "identity.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What it is about, when it is about something the platform knows.
    service_item_code = models.CharField(max_length=64, blank=True, default="")
    case_id = models.PositiveBigIntegerField(null=True, blank=True)
    enterprise_uscc = models.CharField(max_length=18, blank=True, default="")
    # Who handles it: the lead department, and the agent who took it.
    department = models.ForeignKey(
        "core.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    # The clock: the limit, when it started, its pauses, and the due time they give.
    limit = models.PositiveSmallIntegerField(default=0)
    limit_unit = models.CharField(
        max_length=12, choices=DueUnit.choices, default=DueUnit.WORKING_DAYS
    )
    clock_started_at = models.DateTimeField(null=True, blank=True)
    clock_pauses = models.JSONField(default=list, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Three times the limit: orders past it are listed apart.
    far_due_at = models.DateTimeField(null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(default=0)
    extension_requested_days = models.PositiveSmallIntegerField(default=0)
    extension_reason = models.TextField(blank=True, default="")
    question = models.TextField(blank=True, default="")
    asked_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # Outcome.
    reply = models.TextField(blank=True, default="")
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_on_time = models.BooleanField(null=True, blank=True)
    resolved = models.BooleanField(null=True, blank=True)
    satisfaction = models.CharField(
        max_length=20, choices=Satisfaction.choices, blank=True, default=""
    )
    first_contact_resolution = models.BooleanField(default=False)
    closed_reason = models.TextField(blank=True, default="")
    return_count = models.PositiveSmallIntegerField(default=0)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["department", "state", "due_at"], name="order_dept_state_due"),
            models.Index(fields=["state", "due_at"], name="order_state_due"),
            models.Index(fields=["contact_phone_index", "created_at"], name="order_phone"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def place(self) -> Place:
        return Place(department_id=self.department_id, region_code=self.region_code)

    @property
    def informant_hidden(self) -> bool:
        """Whether the handling department is kept from knowing who called."""
        return self.is_anonymous or self.kind == OrderKind.REPORT

    def contact_for_department(self) -> dict[str, str]:
        """The caller as the handling department may see them: masked, and nothing at all
        for a report or an anonymous request."""
        if self.informant_hidden:
            return {}
        return {"name": self.contact_name, "phone": self.contact_phone_masked}


class OrderPart(models.Model):
    """An assisting department's part of a multi-department order (协办): what it must do,
    by when, and what it answered. The order's `department` is the lead (主办), which replies
    for the whole order once every part has replied or been withdrawn (decision 0038). The
    assisting department reads its part, and through it the order as a handling department
    may (never a report's informant), and nothing else of the order's."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="parts")
    department = models.ForeignKey("core.Department", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=20, choices=PartState.choices, default=PartState.DISPATCHED)
    task = models.TextField(help_text="what this department must do")
    limit = models.PositiveSmallIntegerField(default=0)
    limit_unit = models.CharField(
        max_length=12, choices=DueUnit.choices, default=DueUnit.WORKING_DAYS
    )
    dispatched_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField(blank=True, default="")
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_on_time = models.BooleanField(null=True, blank=True)
    return_reason = models.TextField(blank=True, default="")
    return_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order", "id"]
        indexes = [
            models.Index(fields=["department", "state", "due_at"], name="part_dept_state_due"),
            models.Index(fields=["state", "due_at"], name="part_state_due"),
        ]
        constraints = [
            # One live part per department and order (a withdrawn part may be added again).
            models.UniqueConstraint(
                fields=["order", "department"],
                condition=~models.Q(state=PartState.CANCELLED),
                name="hotline_part_department_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.department_id}"

    @property
    def place(self) -> Place:
        """The assisting department's: a part is handled by its own department alone."""
        return Place(department_id=self.department_id, region_code=self.order.region_code)


def attachments_storage() -> Storage:
    return private_storage(
        "hotline_files",
        directory_setting="ONESTOP_HOTLINE_FILES_DIR",
        subdirectory="hotline-files",
    )


def _attachment_path(instance: OrderAttachment, filename: str) -> str:
    # The stored name never carries the uploader's file name.
    day = timezone.localdate(instance.created_at)
    return f"{day:%Y/%m}/{instance.order_id}/{instance.sha256[:16]}{instance.extension}"


class OrderAttachment(models.Model):
    """A photo or PDF attached to a work order by the citizen, an agent or a partner, kept
    through Django's storage API (`hotline_files`, else `var/hotline-files`); or, from an
    Open311 partner, a link (`media_url`) that is stored as given and never fetched. Who
    uploaded it is kept for the audit log (`uploaded_by`, `channel`) and never shown to the
    handling department."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=attachments_storage, upload_to=_attachment_path, blank=True)
    url = models.URLField(max_length=500, blank=True, default="")
    content_type = models.CharField(max_length=40, blank=True, default="")
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True, default="")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.content_type or self.url}"

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.content_type, "")

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class WorkOrderEvent(models.Model):
    """One entry of a work order's timeline, written by the WORKORDER machine (enums) in the
    transaction of what it records. `public` entries are shown to the citizen tracking it."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events")
    # The assisting department's part the entry is about, if any.
    part = models.ForeignKey(
        OrderPart, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(max_length=20, choices=OrderAction.choices)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "core.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, default="")
    detail = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(default=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.action}"


class CallRecord(models.Model):
    """One inbound call, as the telephony adapter (a real CTI, or the simulator) reports it:
    which line, when it arrived, how long it queued, answered or abandoned, by which agent,
    how long they talked, and the work order it produced. The hotline's call figures are
    computed from these rows."""

    PII_FIELDS = {"caller": PiiKind.PHONE}

    line = models.ForeignKey(Line, on_delete=models.PROTECT, related_name="calls")
    arrived_at = models.DateTimeField(db_index=True)
    wait_seconds = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=10, choices=CallOutcome.choices)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    talk_seconds = models.PositiveIntegerField(default=0)
    caller_sealed = sealed_field()
    caller_index = index_field()
    caller_masked = masked_field("caller")
    order = models.ForeignKey(
        WorkOrder, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    external_id = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-arrived_at", "-id"]
        indexes = [models.Index(fields=["line", "arrived_at"], name="call_line_arrived")]

    def __str__(self) -> str:
        return f"call {self.pk} {self.outcome}"


class Open311Key(models.Model):
    """A partner's Open311 API key: only its SHA-256 is kept; the key is shown once, when
    `onestop open311-key create NAME` makes it."""

    name = models.CharField(max_length=80, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ConfigStamp(models.Model):
    """A token that changes whenever the routing table, the time limits or the departments
    change (hotline.config_cache): each process keeps one snapshot of that
    configuration and reads it again only when the token it was built under has changed. It
    is a row, so it rolls back and commits with the change it marks."""

    name = models.CharField(max_length=20, primary_key=True)
    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"


class RollupDay(models.Model):
    """A local day whose figures are rolled up (OrderRollup, CallRollup), from `computed_at`
    (none yet: the day is counted live). `dirty` says that an order of that day, or a call
    on it, changed after that: the next rollup run computes the day again."""

    day = models.DateField(unique=True)
    dirty = models.BooleanField(default=False)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day}{' (dirty)' if self.dirty else ''}"


class OrderRollup(models.Model):
    """The counts of one day's work orders (by their creation day, local time), in total and
    by one dimension at a time: kind, department (code), district (region code) or class
    (category code). The figures page adds these rows up for past days."""

    day = models.DateField()
    dimension = models.CharField(max_length=12)
    key = models.CharField(max_length=40, blank=True, default="")
    orders = models.PositiveIntegerField(default=0)
    phone = models.PositiveIntegerField(default=0)
    first_contact = models.PositiveIntegerField(default=0)
    replied = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    dispatched = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    visited = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    open = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day", "dimension", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "day", "key"], name="hotline_order_rollup_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension}={self.key}: {self.orders}"


class CallRollup(models.Model):
    """The counts of one day's calls (by arrival, local time), in total and by hour or by
    line (code)."""

    day = models.DateField()
    dimension = models.CharField(max_length=12)
    key = models.CharField(max_length=40, blank=True, default="")
    calls = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    abandoned = models.PositiveIntegerField(default=0)
    callbacks = models.PositiveIntegerField(default=0)
    answered_wait_seconds = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["day", "dimension", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "day", "key"], name="hotline_call_rollup_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension}={self.key}: {self.calls}"
