"""Why someone may see a person's identifier in full right now: the purposes a reveal must
be tied to.

A role says what a staff member may ever see (identity.policies); a purpose says why they
see this person now, and the platform must be able to check it. The person is at the
clerk's window (the hall knows: a ticket of theirs is called or being served there); the
person's application is in a case the approver holds (the cases app will know); the person
is the caller on the agent's line (the hotline will know). Those facts live in apps above
identity, which identity must not import, so each app registers a check here from its
`AppConfig.ready()`:

    from onestop.identity.hooks import Purpose, register_purpose

    def person_at_window(actor, person, field):
        ticket = ...  # a ticket of `person` at the window `actor` is signed in at
        if ticket is None:
            return None
        return Purpose("hall.at_window", f"hall.ticket:{ticket.pk}", f"ticket {ticket.display}")

    register_purpose("hall.at_window", person_at_window)

A check answers quickly with a read (no writes), returns a Purpose when it vouches for this
reveal and None otherwise; it is asked only after the role check passed. One purpose is
built in: a person's own record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from onestop.core.access import Actor


@dataclass(frozen=True)
class Purpose:
    """What a reveal is for, as the audit entry records it."""

    kind: str
    # What the purpose points at, e.g. "hall.ticket:123"; empty for one's own record.
    reference: str = ""
    description: str = ""


PurposeCheck = Callable[[Any, Any, str], Purpose | None]

_checks: dict[str, PurposeCheck] = {}

OWN_RECORD = "identity.own_record"


def register_purpose(name: str, check: PurposeCheck) -> None:
    """Register (or replace) the check called `name`."""
    _checks[name] = check


def forget_purpose(name: str) -> None:
    _checks.pop(name, None)


def registered_purposes() -> list[str]:
    return sorted(_checks)


def _own_record(actor: Actor, person: Any, field: str) -> Purpose | None:
    if actor.person_id is not None and actor.person_id == person.pk:
        return Purpose(OWN_RECORD)
    return None


def purpose_find(*, actor: Actor, person: Any, field: str) -> Purpose | None:
    """The first registered purpose that vouches for `actor` seeing `field` of `person`
    now, or None."""
    for check in (_own_record, *(_checks[name] for name in sorted(_checks))):
        purpose = check(actor, person, field)
        if purpose is not None:
            return purpose
    return None
