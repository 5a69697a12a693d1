"""Finished visits for rating, built through the hall's services."""

from __future__ import annotations

from typing import Any

from onestop.hall import services as hall
from onestop.hall.tests.factories import Hall, at
from onestop.hall.tests.factories import hall as hall_build


def finished_visit(
    place: Hall | None = None, *, person: Any = None, finished: tuple[int, int] = (9, 40)
) -> tuple[Hall, Any]:
    """A social acceptance ticket issued at 09:00, called at 09:10, served from 09:12 and
    finished at `finished` on window 1."""
    place = place or hall_build(windows=1)
    ticket = place.issue("social", "acceptance", now=at(9), person=person)
    place.open(0, now=at(9, 5))
    called = place.call(0, now=at(9, 10))
    assert called is not None and called.pk == ticket.pk
    hall.ticket_start(actor=place.clerks[0], ticket_id=ticket.pk, now=at(9, 12))
    done = hall.ticket_finish(actor=place.clerks[0], ticket_id=ticket.pk, now=at(*finished))
    return place, done
