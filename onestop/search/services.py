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

from django.utils.translation import gettext as _

from onestop.core.audit import audit_record
from onestop.core.errors import NotFound
from onestop.core.service import audited
from onestop.identity.actors import StaffUser
from onestop.search import indexing, policies
from onestop.search.enums import ErrorCode
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


@audited("search.synonym")
def synonym_save(*, actor: StaffUser, synonym: Synonym) -> None:
    """Create or change a synonym after validating it (`Synonym.clean`), as a platform admin
    edited it in the admin's form (the form hands over the changed instance)."""
    policies.RULES.require(actor, Perm.EDIT_SYNONYMS)
    creating = synonym.pk is None
    synonym.full_clean()
    synonym.save()
    audit_record(
        actor=actor,
        action=f"search.synonym.{'create' if creating else 'update'}",
        obj=synonym,
        after=_synonym_summary(synonym),
    )


@audited("search.synonym.delete")
def synonym_delete(*, actor: StaffUser, synonym_id: int) -> None:
    policies.RULES.require(actor, Perm.EDIT_SYNONYMS)
    synonym = Synonym.objects.select_for_update().filter(pk=synonym_id).first()
    if synonym is None:
        raise NotFound(
            ErrorCode.SYNONYM_NOT_FOUND,
            _("No synonym has the id %(id)s.") % {"id": synonym_id},
            synonym_id=synonym_id,
        )
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


@audited("search.translation")
def item_translation_save(*, actor: StaffUser, translation: ItemTranslation) -> None:
    """Create or change an item's zh-Hant and English names (`ItemTranslation.clean`)."""
    policies.RULES.require(actor, Perm.EDIT_TRANSLATIONS)
    creating = translation.pk is None
    translation.full_clean()
    translation.save()
    audit_record(
        actor=actor,
        action=f"search.translation.{'create' if creating else 'update'}",
        obj=translation,
        after=_translation_summary(translation),
    )


@audited("search.translation.delete")
def item_translation_delete(*, actor: StaffUser, translation_id: int) -> None:
    policies.RULES.require(actor, Perm.EDIT_TRANSLATIONS)
    translation = ItemTranslation.objects.select_for_update().filter(pk=translation_id).first()
    if translation is None:
        raise NotFound(
            ErrorCode.TRANSLATION_NOT_FOUND,
            _("No item translation has the id %(id)s.") % {"id": translation_id},
            translation_id=translation_id,
        )
    audit_record(
        actor=actor,
        action="search.translation.delete",
        obj=translation,
        before=_translation_summary(translation),
    )
    translation.delete()


@audited("search.translation.load", unless=lambda added: added == 0)
def item_names_load(*, actor: StaffUser | None) -> int:
    """Add the English names shipped with the code (data/item_names_en.tsv) for items that
    have no row yet; rows an administrator made or changed stay as they are. Returns how
    many were added. `actor` None is the system (a release's data migration, the demo)."""
    if actor is not None:
        policies.RULES.require(actor, Perm.EDIT_TRANSLATIONS)
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
