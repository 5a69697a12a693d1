"""The demo works whenever someone sets it up: at 3 a.m., at lunch, in the evening, on a
Sunday, on a public holiday and just after midnight (Asia/Shanghai). Each case seeds the demo
(without the 88,000-item catalog, which the hall does not need) with the clock at that moment,
then walks the README's "what to try" rows of the hall with the test client: the call board,
the kiosk (a walk-in and a booking's check-in), the citizen's booking, the clerk's console,
the phone page, the rating page, the manager's statistics and follow-ups."""

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Max
from django.test import Client

from onestop.appointments.models import Booking, Slot
from onestop.centres.selectors import centre_get, centre_is_open_at
from onestop.demo.accounts import DEMO_CITIZEN_PHONE
from onestop.demo.seed import seed_demo
from onestop.hall.models import Ticket, TicketEvent, Window
from onestop.identity.models import User
from onestop.identity.selectors import person_find_by_phone
from onestop.ratings.models import FollowUpTask, Rating

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SHANGHAI = ZoneInfo("Asia/Shanghai")
MOMENTS = {
    "3 a.m. on a Wednesday": datetime(2026, 12, 2, 3, 0, tzinfo=SHANGHAI),
    "half past twelve": datetime(2026, 12, 2, 12, 30, tzinfo=SHANGHAI),
    "a quarter to seven in the evening": datetime(2026, 12, 2, 18, 45, tzinfo=SHANGHAI),
    "a Sunday night": datetime(2026, 12, 6, 21, 10, tzinfo=SHANGHAI),
    "National Day": datetime(2026, 10, 1, 10, 5, tzinfo=SHANGHAI),
    "twenty past midnight": datetime(2026, 12, 2, 0, 20, tzinfo=SHANGHAI),
}


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture(params=list(MOMENTS), ids=list(MOMENTS))
def moment(request):
    """The demo seeded at the moment; the clock stays there for the test."""
    now = MOMENTS[request.param]
    with time_machine.travel(now, tick=False):
        seed_demo(citizens=20, companies=2, catalog=False)
        yield now


def _the_day(now: datetime) -> dict:
    gz_th = centre_get("gz-th")
    tickets = Ticket.objects.filter(centre=gz_th)
    ratings = Rating.objects.filter(service_day=now.date())
    return {
        "open": centre_is_open_at(gz_th, now),
        "days": set(tickets.values_list("service_day", flat=True)),
        "tickets": tickets.count(),
        "last event": TicketEvent.objects.filter(ticket__centre=gz_th).aggregate(at=Max("at"))[
            "at"
        ],
        "states": Counter(tickets.values_list("state", flat=True)),
        "checked in": Booking.objects.filter(state="checked_in", day=now.date()).count(),
        # Numbers taken at check-in (a conversion's or transfer's successor keeps the code).
        "booked tickets": tickets.exclude(booking_ref="")
        .filter(source__in=["appointment", "walk_in"])
        .count(),
        "ratings": ratings.count(),
        "bad ratings": ratings.filter(level__lte=2).count(),
        "follow-ups": sorted(
            FollowUpTask.objects.filter(rating__ticket__isnull=False).values_list(
                "state", flat=True
            )
        ),
        # The demo citizen's withdrawn case rated 不满意 (好差评 of a case) is followed up too.
        "case follow-ups": sorted(
            FollowUpTask.objects.filter(rating__ticket__isnull=True).values_list("state", flat=True)
        ),
    }


def _board() -> list:
    response = Client().get("/hall/board/gz-th/")
    assert response.status_code == 200
    return response.context["calls"]


def _kiosk_walk_in() -> tuple[bool, Ticket]:
    kiosk = _client("kiosk")
    start = kiosk.get("/hall/kiosk/")
    taken = kiosk.post(
        "/hall/kiosk/walk-in/", {"category": "social", "kind": "consultation", "skip": "on"}
    )
    assert taken.status_code == 302, taken.content.decode()[:500]
    return start.context["is_open"], Ticket.objects.latest("pk")


def _book_and_check_in(now: datetime) -> tuple[Slot, Ticket]:
    """The demo citizen books the demo hall's next slot on the booking page, then scans the
    booking's code at the kiosk."""
    person = person_find_by_phone(DEMO_CITIZEN_PHONE)
    citizen = Client()
    citizen.force_login(User.objects.get(person=person))
    offer = citizen.get("/appointments/", {"centre": "gz-th", "category": "social"})
    assert offer.context["days"][0].remaining > 0
    slot = Slot.objects.filter(
        centre__code="gz-th", category__code="social", starts_at__gt=now
    ).earliest("starts_at")
    booked = citizen.post("/appointments/confirm/", {"slot": slot.pk})
    assert booked.status_code == 302
    booking = Booking.objects.get(person=person)
    checked_in = _client("kiosk").post("/hall/kiosk/appointment/", {"code": booking.code})
    assert checked_in.status_code == 302, checked_in.content.decode()[:500]
    return slot, Ticket.objects.get(booking_ref=booking.code)


def _clerk_calls_at_window_one() -> Ticket:
    clerk = _client("clerk")
    window = Window.objects.get(centre__code="gz-th", number=1)
    profile = window.centre.work_profiles.earliest("pk")
    opened = clerk.post("/hall/console/window/open/", {"window": window.pk, "profile": profile.pk})
    called = clerk.post("/hall/console/window/call/")
    assert (opened.status_code, called.status_code) == (302, 302)
    return Ticket.objects.get(window=window, state="called")


def _visitor_pages(ticket: Ticket) -> tuple[int, int]:
    status = Client().get(f"/hall/t/{ticket.public_token}/")
    rate = Client().get(f"/ratings/t/{ticket.public_token}/")
    return status.status_code, rate.status_code


def _statistics() -> tuple:
    manager = _client("hallmanager")
    page = manager.get("/hall/statistics/gz-th/")
    follow_ups = manager.get("/ratings/follow-ups/", {"state": "all"})
    assert (page.status_code, follow_ups.status_code) == (200, 200)
    return page.context["rows"][-1][0], page.context["board"], follow_ups.context["tasks"]


def test_every_hall_row_of_the_readme_works(moment):
    # given the demo seeded at the moment (the fixture)

    # when the README's rows are tried, at that moment
    day = _the_day(moment)
    calls = _board()
    kiosk_open, walk_in = _kiosk_walk_in()
    slot, booked = _book_and_check_in(moment)
    called = _clerk_calls_at_window_one()
    phone_pages = _visitor_pages(
        Ticket.objects.filter(state="done", rating__isnull=True).earliest("pk")
    )
    everything, live, follow_ups = _statistics()

    # then the day so far is today's, ends now, and has every kind of visit
    assert day["open"] and kiosk_open
    assert day["days"] == {moment.date()}
    assert day["tickets"] >= 90
    assert day["last event"] <= moment
    assert day["states"]["done"] >= 30 and day["states"]["waiting"] >= 1
    assert day["checked in"] >= 4 and day["booked tickets"] == day["checked in"]
    assert day["ratings"] >= 10 and day["bad ratings"] >= 3
    assert day["follow-ups"] == ["closed", "in_progress", "open"]
    assert day["case follow-ups"] == ["open"]
    # the board shows the day's calls; the kiosk, the booking and the console work now
    assert len(calls) >= 5
    assert (walk_in.kind, walk_in.arrived_at) == ("consultation", moment)
    assert slot.starts_at - moment <= timedelta(minutes=30)
    assert booked.service_day == moment.date()
    assert called.service_day == moment.date()
    assert phone_pages == (200, 200)
    # the manager's figures and follow-ups are the day's
    assert everything.issued >= 90 and everything.served >= 30
    assert everything.appointments >= 1 and everything.ratings >= 10
    assert live.waiting >= 1
    assert len(follow_ups) == 4
