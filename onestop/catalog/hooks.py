"""What the catalog tells apps above it (core.hooks): which items' published versions
changed, after the change commits, with their keys. The search index and caches listen."""

from __future__ import annotations

from onestop.core.hooks import Event

items_changed: Event[list[str]] = Event("catalog.items_changed")
