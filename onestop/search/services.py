"""Writes of the search app: the index (derived from the catalog, rebuilt at will), the
anonymous search log and the synonym table.

The index and the log are not audited: the index holds nothing that the catalog's audited
writes did not, and the log must stay unlinkable to anyone, which an audit entry with an
actor would undo. Synonym edits and edits of items' translated names are audited. The
engine keys its cached dictionary on those tables' row counts and newest `updated_at`, so an
edit takes effect on the next search without rebuilding the index.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction

from onestop.core.audit import audit_record
from onestop.search import indexing, policies
from onestop.search.indexing import IndexReport
from onestop.search.models import ItemTranslation, SearchLog, Synonym
from onestop.search.names import item_names_read
from onestop.search.policies import Perm

if TYPE_CHECKING:
    from onestop.search.selectors import SearchFilters, SearchPage

logger = logging.getLogger(__name__)


def search_index_rebuild() -> IndexReport:
    """Make the whole index again from the published catalog, in one transaction."""
    return indexing.index_rebuild()


def search_index_update(item_keys: Iterable[str]) -> IndexReport:
    """Bring the index up to date for items whose published version changed (the catalog's
    `items_changed` hook calls it after commit)."""
    return indexing.index_update(item_keys)


def search_log_record(
    page: SearchPage, *, filters: SearchFilters, channel: str
) -> SearchLog | None:
    """Note a search: its normalised query, how many results, which filters, when. Nothing
    about who searched. An empty query is not worth a row."""
    if not page.normalized:
        return None
    return SearchLog.objects.create(
        query=page.normalized[:200],
        result_count=page.total,
        filters=filters.used(),
        channel=channel[:8],
    )


def _synonym_summary(synonym: Synonym) -> dict[str, Any]:
    return {
        "term": synonym.term,
        "expansions": synonym.expansions,
        "kind": synonym.kind,
        "is_active": synonym.is_active,
    }


def synonym_save(*, actor: Any, synonym: Synonym) -> None:
    """Create or change a synonym after validating it (`Synonym.clean`)."""
    policies.RULES.require(actor, Perm.EDIT_SYNONYMS)
    with transaction.atomic():
        creating = synonym.pk is None
        synonym.full_clean()
        synonym.save()
        audit_record(
            actor=actor,
            action=f"search.synonym.{'create' if creating else 'update'}",
            obj=synonym,
            after=_synonym_summary(synonym),
        )


def synonym_delete(*, actor: Any, synonym: Synonym) -> None:
    policies.RULES.require(actor, Perm.EDIT_SYNONYMS)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="search.synonym.delete",
            obj=synonym,
            before=_synonym_summary(synonym),
        )
        synonym.delete()


def _translation_summary(translation: ItemTranslation) -> dict[str, Any]:
    return {
        "name": translation.name,
        "name_hant": translation.name_hant,
        "name_en": translation.name_en,
    }


def item_translation_save(*, actor: Any, translation: ItemTranslation) -> None:
    """Create or change an item's zh-Hant and English names (`ItemTranslation.clean`)."""
    policies.RULES.require(actor, Perm.EDIT_TRANSLATIONS)
    with transaction.atomic():
        creating = translation.pk is None
        translation.full_clean()
        translation.save()
        audit_record(
            actor=actor,
            action=f"search.translation.{'create' if creating else 'update'}",
            obj=translation,
            after=_translation_summary(translation),
        )


def item_translation_delete(*, actor: Any, translation: ItemTranslation) -> None:
    policies.RULES.require(actor, Perm.EDIT_TRANSLATIONS)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="search.translation.delete",
            obj=translation,
            before=_translation_summary(translation),
        )
        translation.delete()


def item_names_load(*, actor: Any) -> int:
    """Add the English names shipped with the code (data/item_names_en.tsv) for items that
    have no row yet; rows an administrator made or changed stay as they are. Returns how
    many were added. `actor` None is the system (a release's data migration, the demo)."""
    if actor is not None:
        policies.RULES.require(actor, Perm.EDIT_TRANSLATIONS)
    with transaction.atomic():
        existing = set(ItemTranslation.objects.values_list("name", flat=True))
        added = ItemTranslation.objects.bulk_create(
            ItemTranslation(name=name, name_en=english)
            for name, english in item_names_read()
            if name not in existing
        )
        if added:
            audit_record(
                actor=actor,
                action="search.translation.load",
                object_type="search.itemtranslation",
                after={"added": len(added)},
            )
    return len(added)
