"""The catalog tells the index which items changed (after the change commits)."""

from __future__ import annotations

from onestop.search.services import search_index_update


def index_items_changed(item_keys: list[str]) -> None:
    search_index_update(item_keys)
