"""One scripted morning in a hall with two windows, through the hall's real services, whose
figures are worked out by hand in test_tables.py.

    window 1 (clerk 0, social)           window 2 (clerk 1, business)
    T1 09:00 → called 09:10, 09:11–09:21  T4 consultation 09:03 → called 09:06, 09:07–09:10,
    T2 09:02 → called 09:21, 09:22–09:28     converted at the window to T4' (kept), done 09:25
    T3 09:04 → called 09:28, recalled     T6 appointment slot 09:00, arrived 09:10
       09:29, no-show 09:30                  → called 09:26, 09:27–09:30
    T7 pickup 09:35, still waiting        T5 appointment slot 09:30, arrived 09:20
                                             → called 09:31, 09:32–09:40
Estimates shown at issue: T1 5–15 min, T2 10–20 min, T3 0–10 min, none for the others.
Ratings at 10:00: T1 非常满意, T2 不满意 (identified person), T4' 满意, T6 非常不满意.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from onestop.hall import services as hall
from onestop.hall.models import TicketEvent
from onestop.hall.tests.factories import Hall, at, person
from onestop.hall.tests.factories import hall as hall_build
from onestop.ratings import services as ratings


@dataclass
class Day:
    place: Hall
    t: dict[str, Any]


def estimate_set(ticket: Any, band: tuple[int, int] | None, ahead: int = 0) -> None:
    """The estimate the kiosk showed, as the issued event records it (None: none shown).
    Set by hand, so the figures here do not depend on how the hall estimates."""
    event = TicketEvent.objects.get(ticket=ticket, action="issued")
    detail = {k: v for k, v in event.detail.items() if k != "estimate"}
    if band is not None:
        detail["estimate"] = {"optimistic_s": band[0], "pessimistic_s": band[1], "ahead": ahead}
    event.detail = detail
    event.save(update_fields=["detail"])


def scripted_day() -> Day:
    place = hall_build(windows=2)
    social, business = place.clerks
    t: dict[str, Any] = {}
    t["T1"] = place.issue("social", "acceptance", now=at(9, 0))
    t["T2"] = place.issue(
        "social", "acceptance", now=at(9, 2), person=person(born=date(1990, 5, 1))
    )
    t["T4"] = place.issue("business", "consultation", now=at(9, 3))
    t["T3"] = place.issue("social", "acceptance", now=at(9, 4))
    place.open(0, "social", now=at(9, 5))
    place.open(1, "business", now=at(9, 5))
    assert place.call(1, now=at(9, 6)).pk == t["T4"].pk
    hall.ticket_start(actor=business, ticket_id=t["T4"].pk, now=at(9, 7))
    t["T6"] = place.issue(
        "business", "acceptance", source="appointment", queue_at=at(9, 0), now=at(9, 10)
    )
    assert place.call(0, now=at(9, 10)).pk == t["T1"].pk
    t["T4'"] = hall.ticket_convert(
        actor=business, ticket_id=t["T4"].pk, to_kind="acceptance", keep=True, now=at(9, 10)
    )
    hall.ticket_start(actor=social, ticket_id=t["T1"].pk, now=at(9, 11))
    t["T5"] = place.issue(
        "business", "acceptance", source="appointment", queue_at=at(9, 30), now=at(9, 20)
    )
    hall.ticket_finish(actor=social, ticket_id=t["T1"].pk, now=at(9, 21))
    assert place.call(0, now=at(9, 21)).pk == t["T2"].pk
    hall.ticket_start(actor=social, ticket_id=t["T2"].pk, now=at(9, 22))
    hall.ticket_finish(actor=business, ticket_id=t["T4'"].pk, now=at(9, 25))
    assert place.call(1, now=at(9, 26)).pk == t["T6"].pk
    hall.ticket_start(actor=business, ticket_id=t["T6"].pk, now=at(9, 27))
    hall.ticket_finish(actor=social, ticket_id=t["T2"].pk, now=at(9, 28))
    assert place.call(0, now=at(9, 28)).pk == t["T3"].pk
    hall.ticket_recall(actor=social, ticket_id=t["T3"].pk, now=at(9, 29))
    hall.ticket_finish(actor=business, ticket_id=t["T6"].pk, now=at(9, 30))
    hall.ticket_no_show(actor=social, ticket_id=t["T3"].pk, now=at(9, 30))
    assert place.call(1, now=at(9, 31)).pk == t["T5"].pk
    hall.ticket_start(actor=business, ticket_id=t["T5"].pk, now=at(9, 32))
    t["T7"] = place.issue("social", "pickup", now=at(9, 35))
    hall.ticket_finish(actor=business, ticket_id=t["T5"].pk, now=at(9, 40))

    bands = {"T1": (300, 900), "T2": (600, 1200), "T3": (0, 600)}
    for name, ticket in t.items():
        estimate_set(ticket, bands.get(name))

    for name, level in (("T1", 5), ("T2", 2), ("T4'", 4), ("T6", 1)):
        ratings.rating_submit(token=t[name].public_token, level=level, now=at(10))
    for ticket in t.values():
        ticket.refresh_from_db()
    return Day(place, t)
