"""Writing services that cannot forget their history.

Every service that changes something declares what it records, and the declaration is
checked when the service returns: a service declared `@audited("hall.ticket.called")` that
wrote no audit entry with that action raises `HistoryMissing` inside its own transaction, so
the change rolls back with it. The same holds for the entity's timeline when the service
declares `timeline=True`. Removing an `audit_record` call, or a timeline write, therefore
breaks the service at once instead of silently thinning the record.

    @audited("hall.ticket.called", timeline=True, unless=lambda ticket: ticket is None)
    def ticket_call_next(*, actor: StaffUser, window_id: int) -> Ticket | None: ...

A service that calls other services is satisfied by what they record: their entries count
towards the caller's declaration as well as their own.

A service that opens the transaction (it is not called inside another) is run again when
PostgreSQL aborts it as one side of a deadlock: the audit log's streams lock one head row per
app, so two transactions writing two apps' entries in opposite orders can meet, and the
database picks one to fail. Nothing of the aborted run was committed, and side effects wait
for the commit, so running it again is safe.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from django.db import OperationalError, connection, transaction

P = ParamSpec("P")
R = TypeVar("R")


class HistoryMissing(RuntimeError):
    """A service returned without writing the audit or timeline entry it declares."""


@dataclass
class _Frame:
    audit_actions: list[str] = field(default_factory=list)
    timeline_entries: int = 0


_frames: ContextVar[tuple[_Frame, ...]] = ContextVar("service_frames", default=())


def note_audit(action: str) -> None:
    """Called by `audit_record`: every open service frame sees the entry."""
    for frame in _frames.get():
        frame.audit_actions.append(action)


def note_timeline() -> None:
    """Called by whatever writes an entity's timeline row (core.workflow does)."""
    for frame in _frames.get():
        frame.timeline_entries += 1


# How often a service that lost a deadlock is run again before the error is let through.
DEADLOCK_RETRIES = 3


def _is_deadlock(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) == "40P01"


@dataclass(frozen=True)
class AuditedService:
    name: str
    actions: tuple[str, ...]
    timeline: bool


# Every audited service, by dotted name: the suite checks that every service taking an
# actor is here.
REGISTRY: dict[str, AuditedService] = {}


def _matches(declared: str, written: str) -> bool:
    return written == declared or written.startswith(declared + ".")


def audited(
    *actions: str,
    timeline: bool = False,
    unless: Callable[[Any], bool] | None = None,
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Run the service in one transaction and refuse to commit it unless it recorded an
    audit entry for each of `actions` (an action also matches its more specific forms:
    "catalog.item" matches "catalog.item.publish") and, with `timeline`, at least one
    timeline row. `unless(result)` true means the service changed nothing this time (a call
    with nobody waiting), so nothing is required."""
    if not actions:
        raise ValueError("an audited service declares at least one action")

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        name = f"{function.__module__}.{function.__qualname__}"

        def run_once(*args: P.args, **kwargs: P.kwargs) -> R:
            frame = _Frame()
            with transaction.atomic():
                token = _frames.set((*_frames.get(), frame))
                try:
                    result = function(*args, **kwargs)
                finally:
                    _frames.reset(token)
                if unless is not None and unless(result):
                    return result
                missing = [
                    action
                    for action in actions
                    if not any(_matches(action, written) for written in frame.audit_actions)
                ]
                if missing:
                    raise HistoryMissing(f"{name} wrote no audit entry for {', '.join(missing)}")
                if timeline and frame.timeline_entries == 0:
                    raise HistoryMissing(f"{name} wrote no timeline entry")
            return result

        @functools.wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            if connection.in_atomic_block:
                return run_once(*args, **kwargs)
            for attempt in range(DEADLOCK_RETRIES + 1):
                try:
                    return run_once(*args, **kwargs)
                except OperationalError as error:
                    if attempt == DEADLOCK_RETRIES or not _is_deadlock(error):
                        raise
            raise AssertionError("unreachable")

        REGISTRY[name] = AuditedService(name, tuple(actions), timeline)
        run.audited = REGISTRY[name]  # type: ignore[attr-defined]
        return run

    return decorate
