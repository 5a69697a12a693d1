"""Who is told when published items change: the search index, a cache.

A listener registers once (in its AppConfig.ready) and is called after the transaction that
changed the items commits, with the keys of the items whose published version changed. It
is never called for a change that rolled back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.db import transaction

logger = logging.getLogger(__name__)

Listener = Callable[[list[str]], None]
_listeners: list[Listener] = []


def on_items_changed(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def forget_listener(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def items_changed(item_keys: Iterable[str]) -> None:
    """Call inside the transaction of the change."""
    keys = sorted(set(item_keys))
    if not keys or not _listeners:
        return

    def notify() -> None:
        for listener in list(_listeners):
            try:
                listener(keys)
            except Exception:
                # The change is committed; a listener that fails catches up on its own
                # (the search index rebuilds), so it must not fail the request.
                logger.exception("catalog listener %r failed", listener)

    transaction.on_commit(notify)
