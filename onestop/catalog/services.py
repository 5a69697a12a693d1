"""Every change to the catalog by staff: drafting, review, publication, withdrawal.

One service per transition of ALLOWED_TRANSITIONS, each moving the version through the
`ITEM` machine (enums): it locks the version, checks the actor, and the machine checks the
move, claims the row and records the audit entry in the service's transaction (`@audited`
opens it and refuses to commit without that entry).
A published version is never edited: `item_revise` opens a new draft version of the same
item, and `item_publish` supersedes the version it replaces. Bulk loads (import, demo) are in
`importing`.
"""

from __future__ import annotations

import csv
import dataclasses
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from onestop.catalog import policies
from onestop.catalog.enums import (
    ITEM,
    OPEN_STATUSES,
    ErrorCode,
    ItemSource,
    ItemStatus,
    item_summary,
)
from onestop.catalog.hooks import items_changed
from onestop.catalog.importing import items_import
from onestop.catalog.importing.layouts import validate_draft
from onestop.catalog.importing.loader import ImportReport, Lookups
from onestop.catalog.importing.records import ItemDraft, Resolved, content_hash, item_fields
from onestop.catalog.importing.values import MaterialValue
from onestop.catalog.models import DepartmentAlias, HallCategory, Material, ServiceItem, Theme
from onestop.catalog.policies import Perm
from onestop.catalog.selectors import access_item
from onestop.catalog.values import Limit
from onestop.core.access import Place
from onestop.core.audit import audit_record
from onestop.core.departments import departments_load
from onestop.core.errors import Conflict, DomainError, NotFound
from onestop.core.models import Department, Region
from onestop.core.regions import CITY_CODE, regions_load
from onestop.core.service import audited
from onestop.identity.actors import StaffUser

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEPARTMENT_ALIASES = FIXTURES / "department_aliases.csv"
# The real Guangdong items (decision 0006): 2,262 rows, 2,024 provincial and 238 city.
REAL_ITEMS = FIXTURES / "gd_service_items_2021.csv"

# What a staff form or API may set on a draft; the rest is the workflow's.
EDITABLE_FIELDS = tuple(
    f.name
    for f in dataclasses.fields(ItemDraft)
    if f.name not in ("line", "item_key", "department_ref_kind", "source")
)


def _resolve(draft: ItemDraft) -> Resolved:
    """The draft's references as rows, or an error naming everything wrong with it."""
    problems = validate_draft(draft)
    if not draft.name.strip():
        problems.append(_("the name is empty"))
    resolved = Lookups().resolve(draft, create_themes=False)
    if isinstance(resolved, list):
        problems.extend(resolved)
    if problems:
        raise DomainError(
            ErrorCode.INVALID_ITEM,
            _("The item cannot be saved: %(problems)s") % {"problems": "; ".join(problems)},
            problems=problems,
        )
    assert isinstance(resolved, Resolved)
    return resolved


def _write_materials(item: ServiceItem, materials: list[MaterialValue]) -> None:
    item.materials.all().delete()
    Material.objects.bulk_create(
        Material(item=item, position=position, **material.as_dict())
        for position, material in enumerate(materials, start=1)
    )


def draft_of(item: ServiceItem) -> ItemDraft:
    """A version's content as a draft (references as codes), to copy or fingerprint it."""
    return ItemDraft(
        line=0,
        item_key=item.item_key,
        name=item.name,
        item_type=item.item_type,
        level=item.level,
        region_ref=item.region.code if item.region is not None else "",
        department_ref=item.department.code if item.department is not None else "",
        department_ref_kind="code",
        authority_name=item.authority_name,
        basic_code=item.basic_code,
        implementation_code=item.implementation_code,
        handling_code=item.handling_code,
        catalog_name=item.catalog_name,
        legal_basis=item.legal_basis,
        conditions=item.conditions,
        fee_fen=item.fee_fen,
        fee_note=item.fee_note,
        statutory=Limit(item.statutory_limit_value, item.statutory_limit_unit),
        promised=Limit(item.promised_limit_value, item.promised_limit_unit),
        visits_required=item.visits_required,
        online_depth=item.online_depth,
        appointment_supported=item.appointment_supported,
        cross_district=item.cross_district,
        hall_category_ref=item.hall_category.code if item.hall_category is not None else "",
        for_natural_person=item.for_natural_person,
        for_legal_person=item.for_legal_person,
        theme_refs=sorted(item.themes.values_list("code", flat=True)),
        location=item.location,
        office_hours=item.office_hours,
        consult_phone=item.consult_phone,
        complaint_phone=item.complaint_phone,
        online_url=item.online_url,
        materials=[
            MaterialValue(
                name=m.name,
                requirement=m.requirement,
                form=m.form,
                count=m.count,
                e_licence_type=m.e_licence_type,
                held_by_government=m.held_by_government,
                note=m.note,
            )
            for m in item.materials.order_by("position")
        ],
        source=item.source,
    )


def _move(
    item: ServiceItem,
    to: str,
    *,
    actor: StaffUser,
    action: str,
    reason: str = "",
    at: datetime | None = None,
) -> ServiceItem:
    """One move of ALLOWED_TRANSITIONS through the machine, with the timestamps each state
    keeps."""
    now = at or timezone.now()
    fields: dict[str, Any] = {"updated_at": now, "status_reason": reason}
    if to == ItemStatus.PUBLISHED:
        fields["published_at"] = now
    if to in (ItemStatus.SUPERSEDED, ItemStatus.WITHDRAWN, ItemStatus.DISCARDED):
        fields["ended_at"] = now
    return ITEM.move(item, to=to, action=action, actor=actor, at=now, fields=fields, reason=reason)


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise DomainError(ErrorCode.INVALID_ITEM, _("Give a reason."), field="reason")
    return reason


# --- Drafts ------------------------------------------------------------------------------------


@audited("catalog.item.create")
def item_create(*, actor: StaffUser, draft: ItemDraft) -> ServiceItem:
    """A new item: version 1, a draft. Its key is the draft's, or a new one."""
    resolved = _resolve(draft)
    policies.RULES.require(actor, Perm.MANAGE_ITEMS, Place(department_id=resolved.department_id))
    key = draft.item_key or f"item-{get_random_string(16).lower()}"
    if ServiceItem.objects.filter(item_key=key).exists():
        raise Conflict(
            ErrorCode.INVALID_ITEM,
            _("An item with the key %(key)s exists already.") % {"key": key},
            item_key=key,
        )
    fields = item_fields(dataclasses.replace(draft, item_key=key), resolved)
    fields.update(content_hash="", source=ItemSource.MANUAL)
    item = ServiceItem.objects.create(
        **fields, version=1, status=ItemStatus.DRAFT, created_by_id=actor.pk
    )
    item.themes.set(resolved.theme_ids)
    _write_materials(item, draft.materials)
    ITEM.record(item, action="create", actor=actor, from_state="")
    return item


@audited("catalog.item.revise")
def item_revise(*, actor: StaffUser, item_key: str) -> ServiceItem:
    """Open a new draft version of an item, copied from its newest public version (the
    published one, or a withdrawn one to bring the item back)."""
    versions = ServiceItem.objects.select_for_update().filter(item_key=item_key)
    base = (
        versions.filter(status__in=(ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN))
        .order_by("-version")
        .first()
    )
    if base is None:
        raise Conflict(
            ErrorCode.ITEM_NOT_FOUND,
            _("Item %(key)s has no published or withdrawn version to revise.") % {"key": item_key},
            item_key=item_key,
        )
    policies.RULES.require(actor, Perm.MANAGE_ITEMS, base.place)
    if versions.filter(status__in=OPEN_STATUSES).exists():
        raise Conflict(
            ErrorCode.OPEN_VERSION_EXISTS,
            _("Item %(key)s already has a version in draft or in review.") % {"key": item_key},
            item_key=item_key,
        )
    next_version = (versions.aggregate(top=Max("version"))["top"] or 0) + 1
    themes = list(base.themes.values_list("pk", flat=True))
    materials = list(base.materials.order_by("position"))
    draft = base
    draft.pk = None
    draft._state.adding = True
    draft.version = next_version
    draft.status = ItemStatus.DRAFT
    draft.status_reason = ""
    draft.content_hash = ""
    draft.created_by_id = actor.pk
    draft.created_at = draft.updated_at = timezone.now()
    draft.published_at = draft.ended_at = None
    draft.save(force_insert=True)
    draft.themes.set(themes)
    for material in materials:
        material.pk = None
        material.item = draft
    Material.objects.bulk_create(materials)
    ITEM.record(draft, action="revise", actor=actor, from_state="")
    return draft


@audited("catalog.item.update")
def item_update(*, actor: StaffUser, item_id: int, changes: dict[str, Any]) -> ServiceItem:
    """Edit a draft. `changes` names ItemDraft fields (EDITABLE_FIELDS): references as
    codes, limits as Limit, materials as MaterialValue rows."""
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_ITEM,
            _("These fields cannot be set: %(fields)s") % {"fields": ", ".join(unknown)},
            fields=unknown,
        )
    item = access_item(actor, item_id, for_update=True)
    if item.status != ItemStatus.DRAFT:
        raise Conflict(
            ErrorCode.NOT_EDITABLE,
            _("Only a draft can be edited; revise the item to change it."),
            item_status=item.status,
        )
    draft = dataclasses.replace(draft_of(item), **changes)
    resolved = _resolve(draft)
    # Moving an item to another department needs the right over both.
    policies.RULES.require(actor, Perm.MANAGE_ITEMS, Place(department_id=resolved.department_id))
    for name, value in item_fields(draft, resolved).items():
        if name not in ("item_key", "source"):
            setattr(item, name, value)
    item.content_hash = ""
    item.updated_at = timezone.now()
    item.save()
    item.themes.set(resolved.theme_ids)
    if "materials" in changes:
        _write_materials(item, draft.materials)
    # Not a move: the audit entry names the fields changed, which a machine record does not.
    audit_record(
        actor=actor,
        action="catalog.item.update",
        obj=item,
        after={**item_summary(item), "fields": sorted(changes)},
    )
    return item


# --- Transitions -------------------------------------------------------------------------------


@audited("catalog.item.submit")
def item_submit(*, actor: StaffUser, item_id: int) -> ServiceItem:
    """Draft → in review."""
    item = access_item(actor, item_id, for_update=True)
    return _move(item, ItemStatus.IN_REVIEW, actor=actor, action="submit")


@audited("catalog.item.return")
def item_return(*, actor: StaffUser, item_id: int, reason: str) -> ServiceItem:
    """In review → draft, with the reviewer's reason."""
    reason = _require_reason(reason)
    item = access_item(actor, item_id, for_update=True)
    return _move(item, ItemStatus.DRAFT, actor=actor, action="return", reason=reason)


@audited("catalog.item.publish")
def item_publish(*, actor: StaffUser, item_id: int) -> ServiceItem:
    """In review → published; the version published before it is superseded."""
    item = access_item(actor, item_id, for_update=True)
    ITEM.check(item, ItemStatus.PUBLISHED)
    previous = (
        ServiceItem.objects.select_for_update()
        .filter(item_key=item.item_key, status=ItemStatus.PUBLISHED)
        .first()
    )
    if previous is not None:
        _move(
            previous,
            ItemStatus.SUPERSEDED,
            actor=actor,
            action="supersede",
            reason=_("replaced by version %(version)d") % {"version": item.version},
        )
    # Fingerprinted like an imported row, so importing the same content changes nothing.
    draft = draft_of(item)
    item.content_hash = content_hash(draft, _resolve(draft))
    item.save(update_fields=["content_hash"])
    _move(item, ItemStatus.PUBLISHED, actor=actor, action="publish")
    items_changed.fire([item.item_key])
    return item


@audited("catalog.item.withdraw")
def item_withdraw(*, actor: StaffUser, item_id: int, reason: str) -> ServiceItem:
    """Published → withdrawn: the item is no longer offered, and its page says so."""
    reason = _require_reason(reason)
    item = access_item(actor, item_id, for_update=True)
    _move(item, ItemStatus.WITHDRAWN, actor=actor, action="withdraw", reason=reason)
    items_changed.fire([item.item_key])
    return item


@audited("catalog.item.discard")
def item_discard(*, actor: StaffUser, item_id: int) -> ServiceItem:
    """Draft → discarded: a revision given up."""
    item = access_item(actor, item_id, for_update=True)
    return _move(item, ItemStatus.DISCARDED, actor=actor, action="discard")


# --- Reference data ----------------------------------------------------------------------------


@audited("catalog.department_aliases.load", unless=lambda changed: changed == 0)
def department_aliases_load(*, actor: StaffUser | None, path: Path | None = None) -> int:
    """Load `name,department_code,note` rows as department aliases; returns how many were
    created or changed. Rows naming an unknown department are an error, and nothing loads."""
    path = DEPARTMENT_ALIASES if path is None else Path(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    departments = dict(
        Department.objects.filter(code__in=[row["department_code"] for row in rows]).values_list(
            "code", "pk"
        )
    )
    missing = sorted({row["department_code"] for row in rows} - set(departments))
    if missing:
        raise DomainError(
            ErrorCode.DEPARTMENT_NOT_FOUND,
            _("%(file)s names unknown departments: %(codes)s")
            % {"file": path.name, "codes": ", ".join(missing)},
            codes=missing,
        )
    changed = 0
    for row in rows:
        alias, created = DepartmentAlias.objects.get_or_create(
            name=row["name"].strip(),
            defaults={
                "department_id": departments[row["department_code"]],
                "note": row["note"],
            },
        )
        if created:
            changed += 1
        elif alias.department_id != departments[row["department_code"]]:
            alias.department_id = departments[row["department_code"]]
            alias.save(update_fields=["department"])
            changed += 1
    if changed:
        audit_record(
            actor=actor,
            action="catalog.department_aliases.load",
            object_type="catalog.departmentalias",
            after={"file": path.name, "changed": changed},
        )
    return changed


@audited("catalog.items.import", unless=lambda report: not report.written)
def catalog_real_load(*, actor: StaffUser | None) -> ImportReport:
    """The real Guangdong catalog (`REAL_ITEMS`) into this database, with what it needs
    first: the city's regions and departments when they are missing, and the department
    aliases. Safe to repeat: a second run changes nothing. What relevance evaluation and the
    demo start from."""
    if not Region.objects.filter(code=CITY_CODE).exists():
        regions_load(actor=actor)
    if not Department.objects.filter(parent__isnull=False).exists():
        departments_load(actor=actor)
    department_aliases_load(actor=actor)
    return items_import(actor=actor, path=REAL_ITEMS)


# --- Vocabularies (edited in the admin) --------------------------------------------------------


@audited("catalog")
def vocabulary_save(*, actor: StaffUser, obj: HallCategory | Theme | DepartmentAlias) -> None:
    """Save a hall category, theme or department alias as a platform admin edited it in the
    admin's form (the form hands over the changed instance)."""
    policies.RULES.require(actor, Perm.MANAGE_VOCABULARY)
    creating = obj.pk is None
    obj.full_clean()
    obj.save()
    audit_record(
        actor=actor,
        action=f"catalog.{obj._meta.model_name}.{'create' if creating else 'update'}",
        obj=obj,
        after={"name": obj.name},
    )


@audited("catalog.departmentalias.delete")
def department_alias_delete(*, actor: StaffUser, alias_id: int) -> None:
    policies.RULES.require(actor, Perm.MANAGE_VOCABULARY)
    alias = DepartmentAlias.objects.select_for_update().filter(pk=alias_id).first()
    if alias is None:
        raise NotFound(
            ErrorCode.DEPARTMENT_NOT_FOUND,
            _("No department alias has the id %(id)s.") % {"id": alias_id},
            alias_id=alias_id,
        )
    audit_record(
        actor=actor,
        action="catalog.departmentalias.delete",
        obj=alias,
        before={"name": alias.name},
    )
    alias.delete()
