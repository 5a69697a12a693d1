"""State machines: one transition table per entity, and the one way any service moves an
entity from state to state.

An app declares its machine beside its states:

    TICKET = StateMachine(
        entity="hall.ticket",
        states=TicketState,
        transitions=ALLOWED_TRANSITIONS,
        timeline=ticket_timeline_write,   # writes a TicketEvent from a TimelineEntry
        summary=ticket_summary,           # what the audit entry keeps: no personal data
    )

and every transition service calls `TICKET.move(row, to=..., action=..., actor=...)`, which

1. refuses a move the table does not allow (Conflict `illegal_transition`),
2. claims the row with a conditional UPDATE (`WHERE pk = … AND state = <the state read>`), so
   two requests can never both move one row, whether or not the caller locked it first: the
   loser gets Conflict `state_changed`,
3. sets the state and the given fields on the instance,
4. writes the entity's timeline row and the audit entry (`<entity>.<action>`), in the
   caller's transaction.

`record` writes the timeline row and the audit entry of something that is not a move (an
entity created, a call repeated, a note), so those are recorded the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.core.access import Actor
from onestop.core.audit import audit_record
from onestop.core.errors import Conflict
from onestop.core.service import note_timeline

M = TypeVar("M", bound=models.Model)

ILLEGAL_TRANSITION = "illegal_transition"
STATE_CHANGED = "state_changed"


@dataclass(frozen=True)
class TimelineEntry(Generic[M]):
    """One row of an entity's timeline, as the machine hands it to the app's writer. The
    writer adds what its own timeline keeps (`context`: the window of a ticket, say)."""

    row: M
    action: str
    from_state: str
    to_state: str
    actor: Actor | None
    at: datetime
    reason: str = ""
    detail: Mapping[str, Any] = field(default_factory=dict)
    context: Mapping[str, Any] = field(default_factory=dict)


class StateMachine(Generic[M]):
    def __init__(
        self,
        *,
        entity: str,
        states: type[models.TextChoices],
        transitions: Mapping[str, Collection[str]],
        summary: Callable[[M], dict[str, Any]],
        timeline: Callable[[TimelineEntry[M]], object] | None = None,
        field: str = "state",
        describe: Callable[[M], str] = str,
    ) -> None:
        unknown = {*transitions, *(s for moves in transitions.values() for s in moves)} - set(
            states.values
        )
        if unknown:
            raise ValueError(f"{entity}: transitions name unknown states {sorted(unknown)}")
        self.entity = entity
        self.states = states
        self.transitions: dict[str, frozenset[str]] = {
            state: frozenset(transitions.get(state, ())) for state in states.values
        }
        self.summary = summary
        self.timeline = timeline
        self.field = field
        self.describe = describe

    @property
    def final_states(self) -> frozenset[str]:
        return frozenset(state for state, moves in self.transitions.items() if not moves)

    def allows(self, from_state: str, to_state: str) -> bool:
        return to_state in self.transitions.get(from_state, frozenset())

    def _label(self, state: str) -> str:
        return str(self.states(state).label) if state in self.states.values else state

    def check(self, row: M, to: str) -> None:
        state = getattr(row, self.field)
        if not self.allows(state, to):
            raise Conflict(
                ILLEGAL_TRANSITION,
                _("%(entity)s is %(state)s and cannot become %(to)s.")
                % {
                    "entity": self.describe(row),
                    "state": self._label(state),
                    "to": self._label(to),
                },
                state=state,
                to=to,
            )

    def move(
        self,
        row: M,
        *,
        to: str,
        action: str,
        actor: Actor | None,
        at: datetime | None = None,
        fields: Mapping[str, Any] | None = None,
        reason: str = "",
        detail: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> M:
        """Move `row` to `to` (see the module's docstring). Must run inside the caller's
        transaction, which the timeline and audit entries share."""
        if not connection.in_atomic_block:
            raise RuntimeError(f"{self.entity}: a move must run inside its service's transaction")
        self.check(row, to)
        from_state = getattr(row, self.field)
        changes = {self.field: to, **(fields or {})}
        model = type(row)
        claimed = model._default_manager.filter(pk=row.pk, **{self.field: from_state}).update(
            **changes
        )
        if not claimed:
            raise Conflict(
                STATE_CHANGED,
                _("%(entity)s was changed by someone else a moment ago; look again.")
                % {"entity": self.describe(row)},
                state=from_state,
                to=to,
            )
        for name, value in changes.items():
            # A foreign key given as an instance is set as the instance, so the caller's
            # row reads back what it was given without another query.
            setattr(row, name, value)
        self.record(
            row,
            action=action,
            actor=actor,
            from_state=from_state,
            at=at,
            reason=reason,
            detail=detail,
            context=context,
        )
        return row

    def record(
        self,
        row: M,
        *,
        action: str,
        actor: Actor | None,
        from_state: str | None = None,
        at: datetime | None = None,
        reason: str = "",
        detail: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> None:
        """The timeline row and the audit entry of `action` on `row`. `from_state` defaults
        to the row's state (nothing moved); "" records a creation."""
        at = at or timezone.now()
        to_state = getattr(row, self.field)
        from_state = to_state if from_state is None else from_state
        if self.timeline is not None:
            self.timeline(
                TimelineEntry(
                    row=row,
                    action=action,
                    from_state=from_state,
                    to_state=to_state,
                    actor=actor,
                    at=at,
                    reason=reason,
                    detail=dict(detail or {}),
                    context=dict(context or {}),
                )
            )
            note_timeline()
        audit_record(
            actor=actor,
            action=f"{self.entity}.{action}",
            obj=row,
            before={"state": from_state} if from_state != to_state else None,
            after=self.summary(row),
            reason=reason[:500],
        )
