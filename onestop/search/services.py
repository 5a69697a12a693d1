"""Writes of the search app: the index (derived from the catalog, rebuilt at will) and the
anonymous search log.

Neither is audited: the index holds nothing that the catalog's audited writes did not, and
the log must stay unlinkable to anyone, which an audit entry with an actor would undo.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from onestop.search import indexing
from onestop.search.indexing import IndexReport
from onestop.search.models import SearchLog

if TYPE_CHECKING:
    from onestop.search.selectors import SearchFilters, SearchPage

logger = logging.getLogger(__name__)


def search_index_rebuild() -> IndexReport:
    """Make the whole index again from the published catalog, in one transaction."""
    return indexing.index_rebuild()


def search_index_update(item_keys: Iterable[str]) -> IndexReport:
    """Bring the index up to date for items whose published version changed (the catalog's
    `on_items_changed` hook calls it after commit)."""
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
