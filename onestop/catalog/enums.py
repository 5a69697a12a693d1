"""The catalog's vocabularies: item types, levels, states and their transitions, time-limit
units, online depth, material requirements, and error codes.

Each vocabulary that appears in published government data also carries the Chinese term
the data uses (`*_ZH`), which the importer reads and the native layout writes.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onestop.core.workflow import StateMachine

if TYPE_CHECKING:
    from onestop.catalog.models import ServiceItem


class ItemType(models.TextChoices):
    """The seven kinds of item (事项类型) in the national basic catalog."""

    LICENSING = "licensing", _("Administrative licensing")
    CONFIRMATION = "confirmation", _("Administrative confirmation")
    PAYMENT = "payment", _("Administrative payment")
    ADJUDICATION = "adjudication", _("Administrative adjudication")
    REWARD = "reward", _("Administrative reward")
    OTHER_POWER = "other_power", _("Other administrative power")
    PUBLIC_SERVICE = "public_service", _("Public service")


ITEM_TYPE_ZH: dict[str, str] = {
    ItemType.LICENSING: "行政许可",
    ItemType.CONFIRMATION: "行政确认",
    ItemType.PAYMENT: "行政给付",
    ItemType.ADJUDICATION: "行政裁决",
    ItemType.REWARD: "行政奖励",
    ItemType.OTHER_POWER: "其他行政权力",
    ItemType.PUBLIC_SERVICE: "公共服务",
}


class ItemLevel(models.TextChoices):
    """Where an item is handled. The four city levels are the online hall's; PROVINCE holds
    the provincial items a city's residents also use, which have no region or department
    in the city's own tables (see docs/decisions/0006-service-catalog.md)."""

    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    STREET = "street", _("Street or town")
    COMMUNITY = "community", _("Community or village")


ITEM_LEVEL_ZH: dict[str, str] = {
    ItemLevel.PROVINCE: "省级",
    ItemLevel.CITY: "市级",
    ItemLevel.DISTRICT: "区级",
    ItemLevel.STREET: "镇街级",
    ItemLevel.COMMUNITY: "村居级",
}

# The four levels of the city's own hall, top down.
CITY_LEVELS: tuple[ItemLevel, ...] = (
    ItemLevel.CITY,
    ItemLevel.DISTRICT,
    ItemLevel.STREET,
    ItemLevel.COMMUNITY,
)

# core.models.regions.RegionLevel value for each city level.
REGION_LEVEL_OF: dict[str, int] = {
    ItemLevel.CITY: 1,
    ItemLevel.DISTRICT: 2,
    ItemLevel.STREET: 3,
    ItemLevel.COMMUNITY: 4,
}


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    # A published version replaced by the publication of a newer one.
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DISCARDED = "discarded", _("Discarded")


# A published version is never edited: a change is a new draft version, and publishing it
# supersedes the version before. Withdrawn, superseded and discarded versions are final.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    ItemStatus.DRAFT: frozenset({ItemStatus.IN_REVIEW, ItemStatus.DISCARDED}),
    ItemStatus.IN_REVIEW: frozenset({ItemStatus.DRAFT, ItemStatus.PUBLISHED}),
    ItemStatus.PUBLISHED: frozenset({ItemStatus.SUPERSEDED, ItemStatus.WITHDRAWN}),
    ItemStatus.SUPERSEDED: frozenset(),
    ItemStatus.WITHDRAWN: frozenset(),
    ItemStatus.DISCARDED: frozenset(),
}


def item_summary(item: ServiceItem) -> dict[str, Any]:
    """What the audit log keeps of a version."""
    return {"item_key": item.item_key, "version": item.version, "status": item.status}


def _describe(item: ServiceItem) -> str:
    return gettext("Version %(version)d of %(key)s") % {
        "version": item.version,
        "key": item.item_key,
    }


# Every move of a version goes through this machine (core.workflow): the table is checked,
# the row claimed by a conditional UPDATE and the audit entry `catalog.item.<action>`
# written in the service's transaction. A version's history is its audit entries and the
# versions after it; there is no timeline of its own.
ITEM: StateMachine[ServiceItem] = StateMachine(
    entity="catalog.item",
    states=ItemStatus,
    transitions=ALLOWED_TRANSITIONS,
    field="status",
    summary=item_summary,
    describe=_describe,
)

# Versions still being worked on: at most one per item.
OPEN_STATUSES: tuple[str, ...] = (ItemStatus.DRAFT, ItemStatus.IN_REVIEW)


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    NATURAL_DAYS = "natural_days", _("natural days")
    HOURS = "hours", _("hours")
    # 即办: done on the spot, while the applicant waits.
    IMMEDIATE = "immediate", _("on the spot")
    # 无: the source states no limit (information services, for instance).
    NONE = "none", _("no limit stated")


LIMIT_UNIT_ZH: dict[str, str] = {
    LimitUnit.WORKING_DAYS: "工作日",
    LimitUnit.NATURAL_DAYS: "自然日",
    LimitUnit.HOURS: "小时",
    LimitUnit.IMMEDIATE: "即办",
    LimitUnit.NONE: "无",
}


class OnlineDepth(models.TextChoices):
    """How far an item can be done online (网上办理深度)."""

    CONSULT = "consult", _("Information and questions online")
    APPOINTMENT = "appointment", _("Book a visit online")
    APPLY = "apply", _("Apply online, finish at a hall")
    FULL = "full", _("Fully online")


ONLINE_DEPTH_ZH: dict[str, str] = {
    OnlineDepth.CONSULT: "咨询",
    OnlineDepth.APPOINTMENT: "预约",
    OnlineDepth.APPLY: "网上申请",
    OnlineDepth.FULL: "全程网办",
}


class MaterialRequirement(models.TextChoices):
    REQUIRED = "required", _("Required")
    CONDITIONAL = "conditional", _("Only in some cases")


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Copy")
    ORIGINAL_AND_COPY = "original_and_copy", _("Original and copy")
    UNSPECIFIED = "unspecified", _("Not stated")


class ThemeKind(models.TextChoices):
    LIFE_EVENT = "life_event", _("Life event")
    TOPIC = "topic", _("Topic")


class Audience(models.TextChoices):
    NATURAL_PERSON = "natural", _("Individuals")
    LEGAL_PERSON = "legal", _("Organisations")
    BOTH = "both", _("Individuals and organisations")


class Nearness(models.IntegerChoices):
    """How near a place offering a service is to the region a citizen gave, nearest first
    (the places page groups by it)."""

    STREET = 0, _("In your street or town")
    DISTRICT = 1, _("In your district")
    CITY = 2, _("At the city's own offices")
    ELSEWHERE = 3, _("Elsewhere in the city")
    PROVINCE = 4, _("At the province's offices")


# The cookie that remembers a visitor's district or street, read by the catalog's pages and
# by search (which ranks that region's items first): one place remembered for both.
REGION_COOKIE = "onestop_region"


class ItemSource(models.TextChoices):
    GUANGDONG = "gd", _("Guangdong catalog file")
    NATIVE = "native", _("Native catalog file")
    DEMO = "demo", _("Demo instance")
    MANUAL = "manual", _("Entered by staff")


class ErrorCode(StrEnum):
    ITEM_NOT_FOUND = "item_not_found"
    ITEM_WITHDRAWN = "item_withdrawn"
    ILLEGAL_TRANSITION = "illegal_transition"
    OPEN_VERSION_EXISTS = "open_version_exists"
    NOT_EDITABLE = "item_not_editable"
    NOT_ALLOWED = "not_allowed"
    INVALID_ITEM = "invalid_item"
    THEME_NOT_FOUND = "theme_not_found"
    DEPARTMENT_NOT_FOUND = "department_not_found"
    REGION_NOT_FOUND = "region_not_found"
    IMPORT_FILE_UNREADABLE = "import_file_unreadable"
    IMPORT_LAYOUT_UNKNOWN = "import_layout_unknown"
    IMPORT_REJECTED = "import_rejected"
    IMPORT_NO_REFERENCE_DATA = "import_no_reference_data"
    DEMO_PREREQUISITE = "demo_prerequisite"
