"""The demo hall: windows and work profiles at the Tianhe district centre and its two street
centres, and the service day so far at Tianhe (walk-ins, appointments checked in at the
kiosk, calls, conversions, transfers, no-shows) so the boards and statistics have something
to show. Built through the real services; running it again the same day adds nothing, and
on a later day adds that day's visits.

`hall_seed_demo(actor=platform_admin)` is called by the demo seed after the centres, the
demo staff and the appointment slots exist. Window 1 at gz-th is left closed for the demo
clerk to sign in at.

The visits are placed in the last hours before "now" of the current service day
(`service_day_of(now)`), not in a morning that may be yesterday's: the demo's Tianhe hall runs
round the clock (onestop/demo/centres.py), so whenever the demo is set up, today's board,
console and statistics have a day to show (docs/decisions/0016-demo-at-any-hour.md).
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from onestop.appointments.selectors import slot_list
from onestop.appointments.services import booking_create
from onestop.centres.selectors import centre_get, centre_sessions_on
from onestop.core.access import Role
from onestop.core.errors import DomainError
from onestop.core.i18n import translated
from onestop.hall import services
from onestop.hall.enums import TicketKind
from onestop.hall.models import Ticket, Window, WorkProfileEntry
from onestop.hall.selectors import rules_for, service_day_of
from onestop.identity.actors import StaffUser
from onestop.identity.selectors import account_find_by_username
from onestop.identity.services import RoleGrant, staff_create

if TYPE_CHECKING:
    from onestop.centres.models import Centre

DISTRICT_CENTRE = "gz-th"
STREET_CENTRES = ("gz-th-wushan", "gz-th-shipai")
# Windows at the district centre: (category, how many).
DISTRICT_WINDOWS = [
    ("registration", 3),
    ("business", 2),
    ("construction", 2),
    ("trade", 1),
    ("social", 4),
]
STREET_WINDOWS = 4
HISTORY_CLERKS = 6
HISTORY_TICKETS = 90
# Appointments among the day's visits, booked by the first of the citizens handed in.
BOOKED_VISITS = 8
# How much of the service day the visits fill, when that much of it has passed.
DAY_SO_FAR = timedelta(hours=4)
SEED = 2026
KINDS = list(TicketKind.values)
CATEGORIES = [c for c, _n in DISTRICT_WINDOWS]


def _profiles(actor: StaffUser, centre: Centre) -> dict[str, Any]:
    """A profile per category: its own queues first (acceptance, pickup, consultation), then
    the other categories' acceptance queues as a fallback."""
    categories = list(centre.categories.order_by("position"))
    codes = [category.code for category in categories]
    order = [TicketKind.ACCEPTANCE, TicketKind.PICKUP, TicketKind.CONSULTATION]
    return {
        category.code: services.profile_save(
            actor=actor,
            centre_id=centre.pk,
            # As the hall names it: 社会事务类综合窗口, the integrated window led by social affairs.
            name=f"{category.name}综合窗口",
            name_i18n={"en": f"Integrated window: {translated(category, 'name', 'en').lower()}"},
            queues=[(category.code, kind) for kind in order]
            + [(other, TicketKind.ACCEPTANCE) for other in codes if other != category.code],
        )
        for category in categories
    }


def _profiles_by_lead(centre: Any) -> dict[str, Any]:
    """The centre's profiles by the category of their first queue."""
    return {
        entry.category.code: entry.profile
        for entry in WorkProfileEntry.objects.filter(profile__centre=centre, position=0)
        .select_related("category", "profile")
        .order_by("-profile_id")
    }


def _windows(actor: StaffUser, centre: Centre, plan: list[tuple[str, int]]) -> int:
    if Window.objects.filter(centre=centre).exists():
        return 0
    codes = list(centre.categories.values_list("code", flat=True))
    number = 0
    for _lead, count in plan:
        for _ in range(count):
            number += 1
            services.window_create(
                actor=actor,
                centre_id=centre.pk,
                number=number,
                # Integrated windows (综合窗口): any category. No label: "Window N" says it in
                # the reader's language, where a label "N号窗口" would repeat it in Chinese.
                categories=codes,
            )
    _profiles(actor, centre)
    return number


@dataclass(frozen=True)
class FinishedVisit:
    """A visit of the demo's day that ended at a window: what a rating needs."""

    token: str
    finished_at: datetime
    named: bool


@dataclass(frozen=True)
class _Arrival:
    at: datetime
    booking: Any = None  # an appointment's booking; None for a walk-in


@dataclass
class HallDemoReport:
    created: dict[str, int] = field(default_factory=dict)
    finished: list[FinishedVisit] = field(default_factory=list)


def _day_so_far(centre: Any, now: datetime) -> tuple[datetime, datetime] | None:
    """The part of the current service day that the demo fills with visits: up to
    DAY_SO_FAR before `now`, inside the latest session of the day that has begun, ending at
    `now` (or at the session's close, if it is over). None if the centre has not opened yet
    today: visits of an earlier day would not show on today's board and statistics."""
    local = timezone.localtime(now)
    day = service_day_of(now)
    tz = local.tzinfo
    begun = [
        session
        for session in centre_sessions_on(centre, day)
        if datetime.combine(day, session.opens, tzinfo=tz) < local
    ]
    if not begun:
        return None
    opens = datetime.combine(day, begun[-1].opens, tzinfo=tz)
    until = min(local, datetime.combine(day, begun[-1].closes, tzinfo=tz))
    return max(opens, until - DAY_SO_FAR), until


def _bookings(
    rng: random.Random, citizens: Sequence[Any], centre: Any, start: datetime, until: datetime
) -> list[Any]:
    """Appointments of the day so far, booked the day before through the real service:
    each citizen books one slot of the centre that starts in the demo's part of the day."""
    slots = [
        slot
        for category in centre.categories.all()
        for slot in slot_list(centre, category, service_day_of(until))
        if start <= slot.starts_at < until
    ]
    bookings = []
    for citizen in citizens[:BOOKED_VISITS]:
        if not slots:
            break
        slot = rng.choice(slots)
        try:
            bookings.append(
                booking_create(
                    actor=citizen, slot_id=slot.pk, now=slot.starts_at - timedelta(days=1)
                )
            )
        except DomainError:
            # Full, or that person has this category today already: one fewer appointment.
            continue
    return bookings


def _arrivals(
    rng: random.Random, bookings: list[Any], start: datetime, until: datetime, pace: float
) -> list[_Arrival]:
    span = (until - start).total_seconds()
    walk_ins = [
        _Arrival(start + timedelta(seconds=rng.uniform(0, span * 0.9)))
        for _ in range(HISTORY_TICKETS)
    ]
    booked = []
    for booking in bookings:
        # Most come a little before their slot; one in five comes a quarter of an hour late.
        early = rng.random() >= 0.2
        minutes = -rng.uniform(2, 20) if early else rng.uniform(16, 25)
        arrived = booking.slot.starts_at + timedelta(minutes=minutes * pace)
        booked.append(_Arrival(min(max(arrived, start), until), booking))
    return sorted([*walk_ins, *booked], key=lambda a: a.at)


def _check_in(kiosk: Any, centre: Any, booking: Any, moment: datetime) -> Ticket:
    """What the kiosk does with a booking's code (hall/views/kiosk.py): check it in and
    issue its ticket, in one service."""
    return services.booking_arrive(
        actor=kiosk, centre_id=centre.pk, booking=booking.code, now=moment
    ).ticket


def _walk_in(
    rng: random.Random, kiosk: Any, centre: Any, people: list[Any], moment: datetime
) -> Ticket:
    category = rng.choices(CATEGORIES, weights=[3, 2, 1, 1, 4])[0]
    kind = rng.choices(KINDS, weights=[6, 3, 2])[0]
    # Half the applicants and collectors put their card on the reader; questions need none.
    person = (
        rng.choice(people) if people and kind != "consultation" and rng.random() < 0.5 else None
    )
    return services.ticket_issue(
        actor=kiosk,
        centre_id=centre.pk,
        category=category,
        kind=kind,
        person_id=person.pk if person is not None else None,
        now=moment,
    ).ticket


def _day(
    actor: StaffUser, centre: Centre, now: datetime, citizens: Sequence[Any]
) -> tuple[int, list[FinishedVisit]]:
    """The service day so far at the centre, through the services: walk-ins and
    appointments checked in at the kiosk; most served, some no-shows, conversions, transfers
    and cancellations; some still waiting. Visits are spread over DAY_SO_FAR before now, or,
    early in the service day (after midnight at a round-the-clock hall), squeezed into the
    time since it began, so they are always on today's board and statistics."""
    found = _day_so_far(centre, now)
    if (
        found is None
        or Ticket.objects.filter(centre=centre, service_day=service_day_of(now)).exists()
    ):
        return 0, []
    start, until = found
    pace = min(1.0, (until - start) / DAY_SO_FAR)
    rng = random.Random(SEED)  # noqa: S311 - the demo's repeatable day
    kiosk = _account(actor, centre, Role.HALL_DEVICE, "demo-hall-kiosk-2")
    clerks = [
        _account(actor, centre, Role.WINDOW_CLERK, f"demo-hall-clerk-{n}")
        for n in range(1, HISTORY_CLERKS + 1)
    ]
    profiles = _profiles_by_lead(centre)
    windows = list(Window.objects.filter(centre=centre).order_by("number"))[1 : HISTORY_CLERKS + 1]
    leads = ["registration", "business", "social", "social", "construction", "trade"]
    for clerk, window, lead in zip(clerks, windows, leads, strict=False):
        services.window_open(
            actor=clerk, window_id=window.pk, profile_id=profiles[lead].pk, now=start
        )
    people = [citizen.person for citizen in citizens]
    arrivals = _arrivals(rng, _bookings(rng, citizens, centre, start, until), start, until, pace)
    free_at = dict.fromkeys(range(len(clerks)), start)
    finished: list[FinishedVisit] = []
    for arrival in arrivals:
        if arrival.booking is not None:
            _check_in(kiosk, centre, arrival.booking, arrival.at)
        else:
            _walk_in(rng, kiosk, centre, people, arrival.at)
        n = min(free_at, key=lambda k: free_at[k])
        moment = max(free_at[n], arrival.at)
        if moment >= until:
            continue
        called = services.ticket_call_next(actor=clerks[n], window_id=windows[n].pk, now=moment)
        if called is None:
            continue
        free_at[n], done = _serve(rng, clerks[n], called.ticket, moment, pace=pace, until=until)
        if done is not None:
            finished.append(done)
    for n, clerk in enumerate(clerks):
        current = Ticket.objects.filter(window=windows[n], state__in=["called", "serving"]).first()
        if current is not None:
            services.ticket_cancel(
                actor=clerk, ticket_id=current.pk, reason="demo: the day so far ends", now=until
            )
        services.window_close(actor=clerk, window_id=windows[n].pk, now=until)
    return len(arrivals), finished


def _serve(
    rng: random.Random,
    clerk: Any,
    ticket: Ticket,
    moment: datetime,
    *,
    pace: float,
    until: datetime,
) -> tuple[datetime, FinishedVisit | None]:
    """One visit at a window, its times scaled by `pace` and none after `until`; returns
    when the window is free again, and the visit if it finished."""

    def later(base: datetime, minutes: float) -> datetime:
        return min(base + timedelta(minutes=minutes * pace), until)

    roll = rng.random()
    # A no-show is recalled and then let go, each step the hall's recall gap apart at least,
    # however fast the demo's day runs; if that does not fit before `until`, they come.
    gap = max(timedelta(minutes=pace), rules_for(ticket.centre_id).recall_gap)
    if roll < 0.05 and moment + 2 * gap <= until:
        services.ticket_recall(actor=clerk, ticket_id=ticket.pk, now=moment + gap)
        services.ticket_no_show(actor=clerk, ticket_id=ticket.pk, now=moment + 2 * gap)
        return moment + 2 * gap, None
    start = later(moment, rng.randint(20, 90) / 60)
    if start >= until:
        return until, None  # still called when the day so far ends
    services.ticket_start(actor=clerk, ticket_id=ticket.pk, now=start)
    end = later(start, rng.lognormvariate(2.0, 0.5))
    if roll < 0.12 and ticket.kind == TicketKind.CONSULTATION and end < until:
        ticket = services.ticket_convert(
            actor=clerk, ticket_id=ticket.pk, to_kind=TicketKind.ACCEPTANCE, keep=True, now=end
        )
        end = later(end, rng.lognormvariate(2.0, 0.5))
    elif roll < 0.15:
        other = "social" if ticket.category.code != "social" else "registration"
        services.ticket_transfer(
            actor=clerk, ticket_id=ticket.pk, to_category=other, reason="demo", now=end
        )
        return end, None
    services.ticket_finish(actor=clerk, ticket_id=ticket.pk, now=end)
    return end, FinishedVisit(ticket.public_token, end, named=ticket.person_id is not None)


def _account(actor: StaffUser, centre: Centre, role: Role, username: str) -> Any:
    found = account_find_by_username(username)
    if found is not None:
        return found
    return staff_create(
        actor=actor,
        username=username,
        # Accounts that only play the demo's morning; nobody signs in with them.
        password=secrets.token_urlsafe(24),
        display_name=f"演示窗口人员 {username[-1]}",
        roles=[RoleGrant(role=role, centre_id=centre.pk)],
    )


def hall_seed_demo(
    *,
    actor: StaffUser,
    now: datetime | None = None,
    history: bool = True,
    citizens: Sequence[Any] = (),
) -> HallDemoReport:
    """`citizens` (citizen accounts) book the day's appointments, the first BOOKED_VISITS
    of them, and lend their cards to some walk-ins, so some visits are named."""
    now = now or timezone.now()
    report = HallDemoReport()
    district = centre_get(DISTRICT_CENTRE)
    report.created["windows"] = _windows(actor, district, DISTRICT_WINDOWS)
    for code in STREET_CENTRES:
        centre = centre_get(code)
        codes = list(centre.categories.values_list("code", flat=True))
        plan = [(codes[n % len(codes)], 1) for n in range(STREET_WINDOWS)]
        report.created["windows"] += _windows(actor, centre, plan)
    tickets, report.finished = _day(actor, district, now, citizens) if history else (0, [])
    report.created["tickets"] = tickets
    return report
