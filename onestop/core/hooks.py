"""How a lower app tells a higher one something, without importing it.

Apps are layered (import-linter): the catalog may not import search, the hall may not import
ratings. When a lower app needs a higher one to act or to answer, it declares a hook, and the
higher app connects to it in its `AppConfig.ready()`:

    # catalog/hooks.py (the lower app declares)
    items_changed = Event[list[str]]("catalog.items_changed")

    # search/apps.py (the higher app listens)
    def ready(self):
        from onestop.catalog.hooks import items_changed
        items_changed.connect(index_refresh)

Two kinds:

- `Event`: something happened. `fire(payload)` inside the transaction of the change calls
  every listener after that transaction commits, never for a change that rolled back. A
  listener that fails is logged, not raised: the change is committed, and listeners catch up
  on their own (an index rebuilds).
- `Provider`: a question only a higher app can answer ("where does this visit get rated?").
  One answer per hook; `ask(...)` returns the default when no app has answered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, ParamSpec, TypeVar

from django.db import transaction

logger = logging.getLogger(__name__)

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")


class Event(Generic[T]):
    def __init__(self, name: str) -> None:
        self.name = name
        self._listeners: list[Callable[[T], object]] = []

    def connect(self, listener: Callable[[T], object]) -> None:
        if listener not in self._listeners:
            self._listeners.append(listener)

    def disconnect(self, listener: Callable[[T], object]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def fire(self, payload: T) -> None:
        """Call inside the transaction of the change; listeners run after it commits."""
        if not self._listeners:
            return
        listeners = list(self._listeners)

        def notify() -> None:
            for listener in listeners:
                try:
                    listener(payload)
                except Exception:
                    logger.exception("%s: listener %r failed", self.name, listener)

        transaction.on_commit(notify)


class Provider(Generic[P, R]):
    def __init__(self, name: str, default: Callable[P, R]) -> None:
        self.name = name
        self._default = default
        self._answer: Callable[P, R] | None = None

    def answer_with(self, function: Callable[P, R]) -> None:
        if self._answer is not None and self._answer is not function:
            raise RuntimeError(f"{self.name} is answered already by {self._answer!r}")
        self._answer = function

    def forget(self) -> None:
        self._answer = None

    def ask(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return (self._answer or self._default)(*args, **kwargs)
