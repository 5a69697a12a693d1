"""Call-to-board latency: how long after `ticket_call_next` returns a call board shows it.

The production web server (granian, one worker) serves the platform with the Redis channel
layer; BOARDS call boards connect to it over WebSockets as a hall's screens do; this process
signs clerks in at WINDOWS windows and calls CALLS tickets through the services, each window
finishing its ticket before calling the next, CALL_GAP apart. The services publish after
commit to Redis, the server's board consumers pass each call on. The figure is, per board and
call, the time from the service returning to the board receiving it (0 when the board had it
first: the event leaves at commit, just before the service returns), and also from the call's
start.
The issue's target: p95 ≤ 300 ms.

Redis: REDIS_URL if set, else redis://127.0.0.1:6379/0. The server and this process share
the benchmark's database.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

from bench.foundation import serve_platform, server_stop
from bench.harness import Result, summarise_ms

BOARDS = 10
WINDOWS = 4
CALLS = 300
CALL_GAP_S = 0.01
DELIVERY_TIMEOUT_S = 15
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
# Tuesday 1 December 2026, a working day: the services run at this (fixed) time.
DAY_START = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _redis_url() -> str:
    return os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL


def _redis_up(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _forget_boards(url: str, centre_id: int) -> None:
    """Boards of an earlier run stay in the centre's group until it expires (a day): drop
    them, so this run sends to its own boards only. channels_redis's default prefix."""
    import redis

    redis.Redis.from_url(url).delete(f"asgi:group:hall.centre.{centre_id}")


def _hall() -> dict[str, Any]:
    """A centre, its windows, a clerk signed in at each, and CALLS tickets waiting."""
    from onestop.centres.services import SessionSpec, centre_create
    from onestop.core.access import Role
    from onestop.core.models import Region
    from onestop.hall import services
    from onestop.identity.models import User
    from onestop.identity.services import RoleGrant, staff_create

    admin = User.objects.create_superuser("bench-hall-admin", "bench-hall-admin-password")
    region, _ = Region.objects.get_or_create(code="440106", defaults={"name": "天河区", "level": 2})
    centre = centre_create(
        actor=admin,
        code="board-bench-hall",
        name="叫号屏基准政务服务中心",
        level="district",
        region=region,
        address="天河路1号",
        category_codes=["social"],
        sessions=[SessionSpec(d, clock(8), clock(20)) for d in range(7)],
    )

    def staff(role: Role, n: int) -> Any:
        return staff_create(
            actor=admin,
            username=f"bench-{role.value}-{n}",
            password="bench-hall-password-42",  # noqa: S106 - a benchmark's throwaway account
            display_name=f"{role.label} {n}",
            roles=[RoleGrant(role=role, centre_id=centre.pk)],
        )

    manager, kiosk = staff(Role.HALL_MANAGER, 0), staff(Role.HALL_DEVICE, 0)
    profile = services.profile_save(
        actor=manager,
        centre_id=centre.pk,
        name="social",
        queues=[("social", k) for k in ("acceptance", "consultation", "pickup")],
    )
    desks = []
    for number in range(1, WINDOWS + 1):
        window = services.window_create(
            actor=manager, centre_id=centre.pk, number=number, categories=["social"]
        )
        clerk = staff(Role.WINDOW_CLERK, number)
        services.window_open(actor=clerk, window_id=window.pk, profile_id=profile.pk, now=DAY_START)
        desks.append((clerk, window))
    for n in range(CALLS):
        services.ticket_issue(
            actor=kiosk,
            centre_id=centre.pk,
            category="social",
            kind="acceptance",
            now=DAY_START + timedelta(seconds=n),
        )
    return {"centre": centre, "desks": desks}


def _calls(desks: list[tuple[Any, Any]], sent: dict[str, tuple[float, float]]) -> list[float]:
    """Call CALLS tickets round the windows; returns each call's own duration."""
    from onestop.hall import services

    durations: list[float] = []
    current: dict[int, Any] = {}
    moment = DAY_START + timedelta(minutes=30)
    for n in range(CALLS):
        clerk, window = desks[n % len(desks)]
        moment += timedelta(seconds=5)
        if window.pk in current:
            services.ticket_start(actor=clerk, ticket_id=current[window.pk].pk, now=moment)
            services.ticket_finish(actor=clerk, ticket_id=current[window.pk].pk, now=moment)
        started = time.perf_counter()
        called = services.ticket_call_next(actor=clerk, window_id=window.pk, now=moment)
        returned = time.perf_counter()
        assert called is not None
        ticket = called.ticket
        sent[ticket.display] = (started, returned)
        durations.append(returned - started)
        current[window.pk] = ticket
        time.sleep(CALL_GAP_S)
    return durations


async def _run(base: str, code: str, desks: list[tuple[Any, Any]]) -> dict[str, Any]:
    from asgiref.sync import sync_to_async
    from websockets.asyncio.client import connect

    url = base.replace("http://", "ws://") + f"/ws/hall/board/{code}/"
    received: list[dict[str, float]] = [{} for _ in range(BOARDS)]
    sockets = [await connect(url, origin=base) for _ in range(BOARDS)]  # type: ignore[arg-type]

    async def listen(index: int, socket: Any) -> None:
        async for frame in socket:
            call = json.loads(frame)
            received[index].setdefault(call["display"], time.perf_counter())

    listeners = [asyncio.create_task(listen(i, s)) for i, s in enumerate(sockets)]
    sent: dict[str, tuple[float, float]] = {}
    # As in the server: the sync service runs in a worker thread and its after-commit send
    # goes back to this event loop, which also receives the boards' frames.
    durations = await sync_to_async(_calls)(desks, sent)
    deadline = time.perf_counter() + DELIVERY_TIMEOUT_S
    while time.perf_counter() < deadline and any(len(r) < len(sent) for r in received):
        await asyncio.sleep(0.05)
    for task in listeners:
        task.cancel()
    for socket in sockets:
        await socket.close()
    return {"sent": sent, "received": received, "durations": durations}


def call_to_board() -> Result:
    from django.test.utils import override_settings

    redis_url = _redis_url()
    if not _redis_up(redis_url):
        return Result(
            "call to board over Channels with Redis", {}, f"Redis not reachable at {redis_url}"
        )
    layer = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [redis_url]},
        }
    }
    hall = _hall()
    _forget_boards(redis_url, hall["centre"].pk)
    previous = os.environ.get("REDIS_URL")
    os.environ["REDIS_URL"] = redis_url
    try:
        process, base = serve_platform()
    finally:
        if previous is None:
            os.environ.pop("REDIS_URL", None)
        else:
            os.environ["REDIS_URL"] = previous
    try:
        with override_settings(CHANNEL_LAYERS=layer):
            outcome = asyncio.run(_run(base, hall["centre"].code, hall["desks"]))
    finally:
        server_stop(process)
    sent, received = outcome["sent"], outcome["received"]
    after_return = [
        max(0.0, board[display] - sent[display][1])
        for board in received
        for display in sent
        if display in board
    ]
    from_start = [
        board[display] - sent[display][0]
        for board in received
        for display in sent
        if display in board
    ]
    expected = len(sent) * BOARDS
    after = summarise_ms(after_return)
    start = summarise_ms(from_start)
    call = summarise_ms(outcome["durations"])
    return Result(
        "call to board: ticket_call_next returning → a call board receiving it, "
        "Channels with Redis, granian 1 worker",
        {
            "boards": BOARDS,
            "calls": len(sent),
            "delivered": len(after_return),
            "lost": expected - len(after_return),
            **after,
            "from_call_start_p50_ms": start["p50_ms"],
            "from_call_start_p95_ms": start["p95_ms"],
            "call_next_p95_ms": call["p95_ms"],
        },
        "target p95 ≤ 300 ms; client, server and Redis share the 2 cores",
    )


BENCHMARKS: dict[str, Callable[[], Result]] = {"call_to_board": call_to_board}
