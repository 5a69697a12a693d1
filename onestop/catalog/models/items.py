"""Service items (政务服务事项), one row per version, and the materials each version asks for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from onestop.catalog.enums import (
    OPEN_STATUSES,
    ItemLevel,
    ItemSource,
    ItemStatus,
    ItemType,
    LimitUnit,
    MaterialForm,
    MaterialRequirement,
    OnlineDepth,
)
from onestop.catalog.values import Limit
from onestop.core.access import Place


class ServiceItem(models.Model):
    """One version of a service item, with the fields of the national basic catalog
    (国家政务服务事项基本目录).

    `item_key` names the item across its versions and never changes. A published version
    is never edited: a change is a new draft version of the same key, and publishing it
    supersedes the version before, so there is at most one published version per key
    (and at most one draft or version in review). The codes follow the national scheme:
    the implementation code (实施编码) is the implementing body's unified social credit
    code followed by the basic code (基本编码); a handling item (业务办理项) adds two
    digits to it.
    """

    item_key = models.CharField(max_length=64, db_index=True)
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(
        max_length=12, choices=ItemStatus.choices, default=ItemStatus.DRAFT, db_index=True
    )

    basic_code = models.CharField("基本编码", max_length=20, blank=True, db_index=True)
    implementation_code = models.CharField("实施编码", max_length=40, blank=True, db_index=True)
    handling_code = models.CharField("业务办理项编码", max_length=40, blank=True)
    name = models.CharField(max_length=200)
    catalog_name = models.CharField(
        max_length=200, blank=True, help_text="the basic catalog item it implements (目录名称)"
    )
    item_type = models.CharField(max_length=14, choices=ItemType.choices)

    level = models.CharField(max_length=10, choices=ItemLevel.choices)
    # Empty only for provincial items: the city's region tree starts at the city.
    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Empty only for provincial items, whose body is outside the city's departments.
    department = models.ForeignKey(
        "core.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    authority_name = models.CharField(
        max_length=150, blank=True, help_text="the competent body as the source names it"
    )

    legal_basis = models.TextField(blank=True)
    conditions = models.TextField("受理条件", blank=True)
    fee_fen = models.PositiveIntegerField(
        null=True, blank=True, help_text="fee in fen: 0 is free, empty is not stated"
    )
    fee_note = models.CharField(max_length=300, blank=True)
    statutory_limit_value = models.PositiveSmallIntegerField(null=True, blank=True)
    statutory_limit_unit = models.CharField(
        max_length=14, choices=LimitUnit.choices, default=LimitUnit.NONE
    )
    promised_limit_value = models.PositiveSmallIntegerField(null=True, blank=True)
    promised_limit_unit = models.CharField(
        max_length=14, choices=LimitUnit.choices, default=LimitUnit.NONE
    )
    visits_required = models.PositiveSmallIntegerField("到现场次数", default=0)
    online_depth = models.CharField(
        max_length=12, choices=OnlineDepth.choices, default=OnlineDepth.CONSULT
    )
    appointment_supported = models.BooleanField(default=False)
    cross_district = models.BooleanField("通办", default=False, help_text="any district's hall")
    hall_category = models.ForeignKey(
        "catalog.HallCategory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    for_natural_person = models.BooleanField(default=False)
    for_legal_person = models.BooleanField(default=False)
    themes = models.ManyToManyField("catalog.Theme", blank=True, related_name="items")

    location = models.TextField(blank=True, help_text="where to go")
    office_hours = models.CharField(max_length=200, blank=True)
    consult_phone = models.CharField(max_length=500, blank=True)
    complaint_phone = models.CharField(max_length=500, blank=True)
    online_url = models.CharField(max_length=500, blank=True)

    source = models.CharField(max_length=8, choices=ItemSource.choices, default=ItemSource.MANUAL)
    # Fingerprint of everything an import can set: an unchanged row changes nothing.
    content_hash = models.CharField(max_length=64, blank=True)
    status_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(
        null=True, blank=True, help_text="when it was superseded, withdrawn or discarded"
    )

    class Meta:
        ordering = ["item_key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["item_key", "version"], name="catalog_item_version"),
            models.UniqueConstraint(
                fields=["item_key"],
                condition=Q(status=ItemStatus.PUBLISHED),
                name="catalog_item_one_published",
            ),
            models.UniqueConstraint(
                fields=["item_key"],
                condition=Q(status__in=OPEN_STATUSES),
                name="catalog_item_one_open",
            ),
            models.CheckConstraint(
                condition=Q(level=ItemLevel.PROVINCE) | Q(region__isnull=False),
                name="catalog_item_region_below_province",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "level"], name="catalog_item_status_level"),
            models.Index(fields=["status", "region"], name="catalog_item_status_region"),
            models.Index(fields=["status", "department"], name="catalog_item_status_dept"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def place(self) -> Place:
        # Provincial items belong to no department of the city: only platform admins reach.
        return Place(department_id=self.department_id)

    @property
    def statutory_limit(self) -> Limit:
        return Limit(self.statutory_limit_value, self.statutory_limit_unit)

    @property
    def promised_limit(self) -> Limit:
        return Limit(self.promised_limit_value, self.promised_limit_unit)

    @property
    def authority_label(self) -> str:
        return self.department.name if self.department is not None else self.authority_name

    @property
    def is_current(self) -> bool:
        return self.status == ItemStatus.PUBLISHED


class Material(models.Model):
    """One document an application needs (申请材料)."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="materials")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=300)
    requirement = models.CharField(
        max_length=12, choices=MaterialRequirement.choices, default=MaterialRequirement.REQUIRED
    )
    form = models.CharField(
        max_length=18, choices=MaterialForm.choices, default=MaterialForm.UNSPECIFIED
    )
    count = models.PositiveSmallIntegerField(default=1)
    e_licence_type = models.CharField(
        max_length=100, blank=True, help_text="the e-licence (电子证照) that can replace it"
    )
    # The administration reads it from its own records (免提交): never ask the applicant.
    held_by_government = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["item", "position"]

    def __str__(self) -> str:
        return self.name
