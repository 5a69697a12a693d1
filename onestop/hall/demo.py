"""The demo hall: windows and work profiles at the Tianhe district centre and its two street
centres, and a morning's tickets at Tianhe so the boards and statistics have something to
show. Built through the real services; running it again adds nothing.

`hall_seed_demo(actor=platform_admin)` is called by the demo seed after the centres and the
demo staff exist. Window 1 at gz-th is left closed for the demo clerk to sign in at.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from onestop.centres.selectors import centre_get, centre_sessions_on
from onestop.core.access import Role
from onestop.hall import services
from onestop.hall.enums import TicketKind
from onestop.hall.models import Ticket, Window
from onestop.identity.selectors import account_find_by_username
from onestop.identity.services import RoleGrant, staff_create

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
SEED = 2026
KINDS = list(TicketKind.values)


@dataclass
class HallDemoReport:
    created: dict[str, int] = field(default_factory=dict)


def _profiles(actor: Any, centre: Any) -> dict[str, Any]:
    """A profile per category: its own queues first (acceptance, pickup, consultation), then
    the other categories' acceptance queues as a fallback."""
    codes = list(centre.categories.order_by("position").values_list("code", flat=True))
    order = [TicketKind.ACCEPTANCE, TicketKind.PICKUP, TicketKind.CONSULTATION]
    return {
        code: services.profile_save(
            actor=actor,
            centre=centre,
            name=f"{code} 综合窗口",
            queues=[(code, kind) for kind in order]
            + [(other, TicketKind.ACCEPTANCE) for other in codes if other != code],
        )
        for code in codes
    }


def _windows(actor: Any, centre: Any, plan: list[tuple[str, int]]) -> int:
    if Window.objects.filter(centre=centre).exists():
        return 0
    codes = list(centre.categories.values_list("code", flat=True))
    number = 0
    for _lead, count in plan:
        for _ in range(count):
            number += 1
            services.window_create(
                actor=actor,
                centre=centre,
                number=number,
                # Integrated windows (综合窗口): any category, labelled by the one they lead with.
                categories=codes,
                label=f"{number}号窗口",
            )
    _profiles(actor, centre)
    return number


def _history_day(centre: Any, now: datetime) -> tuple[date, datetime, datetime] | None:
    """The latest day (today or before) whose morning session has begun: its opening, and
    the end of the simulated morning (now, or the session's close)."""
    local = timezone.localtime(now)
    for back in range(14):
        day = local.date() - timedelta(days=back)
        sessions = centre_sessions_on(centre, day)
        if not sessions:
            continue
        tz = local.tzinfo
        opens = datetime.combine(day, sessions[0].opens, tzinfo=tz)
        closes = datetime.combine(day, sessions[0].closes, tzinfo=tz)
        if opens + timedelta(minutes=30) <= local:
            return day, opens, min(local, closes - timedelta(minutes=1))
    return None


def _morning(actor: Any, centre: Any, now: datetime) -> int:
    """A morning of visits at the centre, through the services: most served, some no-shows,
    conversions, transfers and cancellations; if the morning is today's, some still waiting."""
    found = _history_day(centre, now)
    if found is None or Ticket.objects.filter(centre=centre).exists():
        return 0
    _day, opens, until = found
    rng = random.Random(SEED)  # noqa: S311 - the demo's repeatable morning
    kiosk = _account(actor, centre, Role.HALL_DEVICE, "demo-hall-kiosk-2")
    clerks = [
        _account(actor, centre, Role.WINDOW_CLERK, f"demo-hall-clerk-{n}")
        for n in range(1, HISTORY_CLERKS + 1)
    ]
    profiles = {p.name.split()[0]: p for p in centre.work_profiles.all()}
    windows = list(Window.objects.filter(centre=centre).order_by("number"))[1 : HISTORY_CLERKS + 1]
    leads = ["registration", "business", "social", "social", "construction", "trade"]
    for clerk, window, lead in zip(clerks, windows, leads, strict=False):
        services.window_open(actor=clerk, window=window, profile=profiles[lead], now=opens)
    span = (until - opens).total_seconds()
    arrivals = sorted(
        opens + timedelta(seconds=rng.uniform(0, span * 0.9)) for _ in range(HISTORY_TICKETS)
    )
    categories = [c for c, _n in DISTRICT_WINDOWS]
    free_at = dict.fromkeys(range(len(clerks)), opens)
    issued = 0
    for arrived in arrivals:
        category = rng.choices(categories, weights=[3, 2, 1, 1, 4])[0]
        kind = rng.choices(KINDS, weights=[6, 3, 2])[0]
        services.ticket_issue(actor=kiosk, centre=centre, category=category, kind=kind, now=arrived)
        issued += 1
        n = min(free_at, key=lambda k: free_at[k])
        moment = max(free_at[n], arrived)
        if moment >= until:
            continue
        ticket = services.ticket_call_next(actor=clerks[n], window=windows[n], now=moment)
        if ticket is None:
            continue
        free_at[n] = _serve(rng, clerks[n], ticket, moment, centre)
    for n, clerk in enumerate(clerks):
        current = Ticket.objects.filter(window=windows[n], state__in=["called", "serving"]).first()
        if current is not None:
            services.ticket_cancel(
                actor=clerk, ticket=current, reason="demo: end of morning", now=until
            )
        services.window_close(actor=clerk, window=windows[n], now=until)
    return issued


def _serve(
    rng: random.Random, clerk: Any, ticket: Ticket, moment: datetime, centre: Any
) -> datetime:
    """One visit at a window; returns when the window is free again."""
    roll = rng.random()
    if roll < 0.05:
        services.ticket_recall(actor=clerk, ticket=ticket, now=moment + timedelta(minutes=1))
        services.ticket_no_show(actor=clerk, ticket=ticket, now=moment + timedelta(minutes=2))
        return moment + timedelta(minutes=2)
    start = moment + timedelta(seconds=rng.randint(20, 90))
    services.ticket_start(actor=clerk, ticket=ticket, now=start)
    end = start + timedelta(minutes=rng.lognormvariate(2.0, 0.5))
    if roll < 0.12 and ticket.kind == TicketKind.CONSULTATION:
        ticket = services.ticket_convert(
            actor=clerk, ticket=ticket, to_kind=TicketKind.ACCEPTANCE, keep=True, now=end
        )
        end += timedelta(minutes=rng.lognormvariate(2.0, 0.5))
    elif roll < 0.15:
        other = "social" if ticket.category.code != "social" else "registration"
        services.ticket_transfer(
            actor=clerk, ticket=ticket, to_category=other, reason="demo", now=end
        )
        return end
    services.ticket_finish(actor=clerk, ticket=ticket, now=end)
    return end


def _account(actor: Any, centre: Any, role: Role, username: str) -> Any:
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
    *, actor: Any, now: datetime | None = None, history: bool = True
) -> HallDemoReport:
    now = now or timezone.now()
    report = HallDemoReport()
    district = centre_get(DISTRICT_CENTRE)
    report.created["windows"] = _windows(actor, district, DISTRICT_WINDOWS)
    for code in STREET_CENTRES:
        centre = centre_get(code)
        codes = list(centre.categories.values_list("code", flat=True))
        plan = [(codes[n % len(codes)], 1) for n in range(STREET_WINDOWS)]
        report.created["windows"] += _windows(actor, centre, plan)
    report.created["tickets"] = _morning(actor, district, now) if history else 0
    return report
