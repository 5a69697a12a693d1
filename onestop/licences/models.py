"""E-licences (电子证照): the catalog of licence types and the licences issued under them.

- `LicenceType`: one kind of licence as GB/T 36902 catalogues it: its name and type code,
  who defines it and at what level, who may hold it, how long it is valid, the level of its
  issuers, the layout of its face (照面: named, typed fields, in order), the service items
  whose approval produces it and the materials it replaces. `department` is the department
  that issues it on this platform, which scopes who may issue and manage its licences.
- `Licence`: one licence with the metadata of GB/T 36903 and its identifier (GB/T 36904).
  The holder's code (resident ID or USCC) is sealed like every personal identifier
  (core.pii). The credential (an SD-JWT VC, decision 0028) is kept sealed too: its
  disclosures carry the face fields and the holder's code in clear.
- `LicenceEvent`: the timeline, written by the LICENCE machine.
- `StatusList`: one IETF Token Status List: the licences it covers each own an index in it.
- `SerialCounter`: the last serial an issuer gave under a type.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from onestop.core.access import Place
from onestop.core.i18n import translations_field
from onestop.core.pii import PiiKind, index_field, masked_field, sealed_field
from onestop.licences.enums import (
    AuthorityLevel,
    HolderCategory,
    HolderCodeType,
    LicenceAction,
    LicenceStatus,
)


class LicenceType(models.Model):
    code = models.CharField("证照类型代码", max_length=21, unique=True)
    name = models.CharField(max_length=100)
    name_i18n = translations_field()
    defining_authority = models.CharField(max_length=100)
    defining_authority_level = models.CharField(max_length=12, choices=AuthorityLevel.choices)
    holder_category = models.CharField(max_length=16, choices=HolderCategory.choices)
    # None: long-term (长期有效).
    validity_years = models.PositiveSmallIntegerField(null=True, blank=True)
    issuer_level = models.CharField(max_length=12, choices=AuthorityLevel.choices)
    department = models.ForeignKey(
        "core.Department", on_delete=models.PROTECT, related_name="licence_types"
    )
    # [{"key": "name", "label": "名称", "label_i18n": {...}, "type": "text", "required": true}]
    face_layout = models.JSONField(default=list)
    # Keys of the service items whose approval issues it, and names of the materials of an
    # application it can replace (用证 instead of paper).
    item_keys = models.JSONField(default=list, blank=True)
    replaces_materials = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def place(self) -> Place:
        return Place(department_id=self.department_id)

    @property
    def vct(self) -> str:
        """The credential type (SD-JWT VC `vct`) of this licence type's credentials."""
        return f"{settings.ONESTOP_LICENCE_ISSUER_URL.rstrip('/')}/licences/types/{self.code}"


class StatusList(models.Model):
    """One IETF Token Status List. `size` indices of `bits` bits; `next_index` is the next
    one to give out (a row lock serialises issuers)."""

    bits = models.PositiveSmallIntegerField(default=2)
    size = models.PositiveIntegerField()
    next_index = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"status list {self.pk} ({self.next_index}/{self.size})"


class SerialCounter(models.Model):
    type_code = models.CharField(max_length=21)
    issuer_uscc = models.CharField(max_length=18)
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["type_code", "issuer_uscc"], name="licences_serial_type_issuer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.type_code}/{self.issuer_uscc}: {self.last}"


class Licence(models.Model):
    PII_FIELDS = {"holder_code": PiiKind.RESIDENT_ID}

    licence_type = models.ForeignKey(LicenceType, on_delete=models.PROTECT, related_name="+")
    # Copied from the type, so the identifier's segments read without a join.
    licence_type_code = models.CharField(max_length=21)
    identifier = models.CharField("电子证照标识", max_length=100, unique=True)
    number = models.CharField("证照编号", max_length=64)
    serial = models.CharField(max_length=20)
    version = models.PositiveSmallIntegerField(default=1)
    department = models.ForeignKey("core.Department", on_delete=models.PROTECT, related_name="+")
    issuer_name = models.CharField(max_length=100)
    issuer_uscc = models.CharField(max_length=18)
    issued_on = models.DateField()
    valid_from = models.DateField()
    # None: long-term.
    valid_until = models.DateField(null=True, blank=True)
    holder_name = models.CharField(max_length=200)
    holder_code_type = models.CharField(max_length=3, choices=HolderCodeType.choices)
    # A USCC is public; a resident ID is sealed. Both are indexed for lookup.
    holder_code_sealed = sealed_field()
    holder_code_index = index_field()
    holder_code_masked = masked_field("holder code")
    holder_person = models.ForeignKey(
        "identity.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    holder_enterprise = models.ForeignKey(
        "identity.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The owner of the wallet it shows in: the holder, or an enterprise's representative.
    owner_person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    face = models.JSONField(default=dict)
    status = models.CharField(
        max_length=12, choices=LicenceStatus.choices, default=LicenceStatus.VALID
    )
    status_reason = models.CharField(max_length=500, blank=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="+")
    status_index = models.PositiveIntegerField()
    # The credential (compact SD-JWT VC), sealed with the personal-data keys.
    credential_sealed = models.TextField(blank=True, default="", editable=False)
    signing_kid = models.CharField(max_length=64, blank=True)
    # The case whose decision issued it, by id (cases sits above and owns its cases).
    case_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="licences_status_slot"
            ),
            models.CheckConstraint(
                condition=Q(holder_person__isnull=True) | Q(holder_enterprise__isnull=True),
                name="licences_one_holder",
            ),
        ]
        indexes = [models.Index(fields=["status_list", "status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.identifier}"

    @property
    def place(self) -> Place:
        return Place(department_id=self.department_id, person_id=self.owner_person_id)


class LicenceEvent(models.Model):
    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=LicenceAction.choices)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=500, blank=True)
    detail: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.licence_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class LicenceUse(models.Model):
    """An annotated copy (加注件) of a licence filed in a case instead of paper (用证): who
    used it, in which case and for what, and until when the copy serves. A record, not a
    PDF: the licence's face as it stood is kept here, and the case shows it among its
    materials (decision 0036)."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="uses")
    # The case (cases sits above and owns its cases) and how it was named when filed.
    case_id = models.BigIntegerField(db_index=True)
    case_label = models.CharField(max_length=300)
    material_name = models.CharField(max_length=300)
    purpose = models.CharField(max_length=300)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    used_at = models.DateTimeField(default=timezone.now)
    valid_until = models.DateField()
    # What the copy shows, as the licence stood when it was used.
    identifier = models.CharField(max_length=100)
    number = models.CharField(max_length=64)
    type_name = models.CharField(max_length=100)
    face = models.JSONField(default=dict)

    class Meta:
        ordering = ["-used_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.identifier} → case {self.case_id}"


class UseCode(models.Model):
    """A one-time authorisation code (用证码) a holder gives a department to read one
    licence: short, valid for minutes, used once. Only its keyed hash is stored."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="use_codes")
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"use code for licence {self.licence_id}"
