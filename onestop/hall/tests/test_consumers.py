"""The hall's WebSocket consumers through the project's WebSocket application: who may
connect, and what each screen hears after a change commits."""

import asyncio
import json
import subprocess
import sys
from contextlib import asynccontextmanager
from functools import partial
from unittest import mock

import pytest
import time_machine
from asgiref.sync import async_to_sync, sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings

from config.routing import websocket_application
from onestop.core.access import Role
from onestop.hall import services
from onestop.hall.tests.factories import at, hall, staff_at

pytestmark = pytest.mark.django_db(transaction=True)

IN_MEMORY = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
QUIET = 0.3
# How long a test waits for what must arrive (an accepted connection, a message, the
# consumer's end). Generous: on a loaded machine an answer comes late, and a late answer is
# not a failure. Checks that nothing arrives wait QUIET instead.
WAIT = 10


class WebsocketCommunicator(ApplicationCommunicator):
    """A WebSocket client of an ASGI application, as channels.testing's (which needs
    daphne, for its live server): connect, receive JSON, disconnect. The test's database
    connection stays open between the consumer's queries, as channels.testing keeps it."""

    def __init__(self, application, path: str, headers: list[tuple[bytes, bytes]]) -> None:
        scope = {"type": "websocket", "path": path, "query_string": b"", "headers": headers}
        super().__init__(application, scope)

    async def send_input(self, message):
        with mock.patch("channels.db.close_old_connections", lambda: None):
            return await super().send_input(message)

    async def receive_output(self, timeout=WAIT):
        with mock.patch("channels.db.close_old_connections", lambda: None):
            return await super().receive_output(timeout)

    async def connect(self, timeout: float = WAIT) -> tuple[bool, int | None]:
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        if response["type"] == "websocket.close":
            return False, response.get("code", 1000)
        return True, None

    async def receive_json_from(self, timeout: float = WAIT):
        response = await self.receive_output(timeout)
        assert response["type"] == "websocket.send", response
        return json.loads(response["text"])

    async def disconnect(self, code: int = 1000, timeout: float = WAIT) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)


@pytest.fixture(autouse=True)
def fresh_layer():
    """A new in-memory layer per test, so no test hears another's groups."""
    with override_settings(CHANNEL_LAYERS=IN_MEMORY):
        yield


@pytest.fixture(autouse=True)
def half_past_nine():
    with time_machine.travel(at(9, 30), tick=True):
        yield


@pytest.fixture
def h():
    return hall()


def _headers(user=None) -> list[tuple[bytes, bytes]]:
    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    if user is not None:
        client = Client()
        client.force_login(user)
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return headers


@asynccontextmanager
async def connected(path: str, user=None):
    headers = await sync_to_async(_headers)(user)
    communicator = WebsocketCommunicator(websocket_application, path, headers=headers)
    accepted, _ = await communicator.connect()
    assert accepted
    try:
        yield communicator
    finally:
        await communicator.disconnect()


async def _closed_with(path: str, user=None) -> int:
    headers = await sync_to_async(_headers)(user)
    communicator = WebsocketCommunicator(websocket_application, path, headers=headers)
    await communicator.connect()
    message = await communicator.receive_output()
    await communicator.wait()
    return message["code"]


def run(scenario):
    return async_to_sync(scenario)()


def _serve(h, *, issue: int = 1):
    for minute in range(issue):
        h.issue("social", now=at(9, minute))
    h.open(0, now=at(9))


# --- The call board ----------------------------------------------------------------------------


def test_a_board_hears_a_committed_call_as_number_and_window_only(h):
    _serve(h)

    async def scenario():
        async with connected(f"/ws/hall/board/{h.centre.code}/") as board:
            await sync_to_async(h.call)(0)
            return await board.receive_json_from()

    call = run(scenario)

    assert {k: call[k] for k in ("event", "display", "window", "call_count")} == {
        "event": "call",
        "display": "F001",
        "window": 1,
        "call_count": 1,
    }
    assert not {"category", "kind", "priority", "source", "id"} & set(call)


def test_a_board_hears_a_recall_and_nothing_of_issues_or_finishes(h):
    _serve(h)

    async def scenario():
        async with connected(f"/ws/hall/board/{h.centre.code}/") as board:
            ticket = await sync_to_async(h.call)(0, now=at(9, 30))
            first = await board.receive_json_from()
            await sync_to_async(services.ticket_recall)(
                actor=h.clerks[0], ticket_id=ticket.pk, now=at(9, 31)
            )
            second = await board.receive_json_from()
            await sync_to_async(h.issue)("social", now=at(9, 32))
            await sync_to_async(services.ticket_start)(
                actor=h.clerks[0], ticket_id=ticket.pk, now=at(9, 33)
            )
            return first, second, await board.receive_nothing(timeout=QUIET)

    first, second, silent = run(scenario)

    assert (first["call_count"], second["call_count"]) == (1, 2)
    assert silent


def test_a_call_that_rolls_back_sends_nothing(h):
    _serve(h)

    def call_then_fail():
        with pytest.raises(RuntimeError), transaction.atomic():
            h.call(0)
            raise RuntimeError("rolled back")

    async def scenario():
        async with connected(f"/ws/hall/board/{h.centre.code}/") as board:
            await sync_to_async(call_then_fail)()
            return await board.receive_nothing(timeout=QUIET)

    assert run(scenario)


def test_a_board_of_an_unknown_centre_is_closed():
    assert run(partial(_closed_with, "/ws/hall/board/no-such-centre/")) == 4404


# --- The window console -------------------------------------------------------------------------


def test_a_console_is_for_the_centres_clerks_and_manager(h):
    path = f"/ws/hall/console/{h.centre.pk}/"
    outsiders = [None, h.kiosk, staff_at(hall().centre, Role.WINDOW_CLERK)]

    codes = [run(partial(_closed_with, path, user)) for user in outsiders]

    assert codes == [4403, 4403, 4403]

    async def scenario():
        async with connected(path, h.clerks[0]) as console:
            await sync_to_async(h.issue)("social", now=at(9, 20))
            issued = await console.receive_json_from()
        async with connected(path, h.manager) as manager:
            await sync_to_async(h.open)(1, now=at(9, 21))
            opened = await manager.receive_json_from()
        return issued, opened

    issued, opened = run(scenario)
    assert (issued["event"], issued["ticket"]["display"]) == ("ticket.issued", "F001")
    assert (opened["event"], opened["window"]["number"]) == ("window.changed", 2)


# --- The phone status page ----------------------------------------------------------------------


def test_a_phone_hears_its_own_call_and_that_its_queue_moved(h):
    # given: F001 and F002 in the social acceptance queue, C001 in another queue
    _serve(h, issue=2)
    mine = h.issue("social", now=at(9, 5))
    h.issue("social", "consultation", now=at(9, 6))

    async def scenario():
        async with connected(f"/ws/hall/t/{mine.public_token}/") as phone:
            await sync_to_async(h.call)(0, now=at(9, 30))
            moved = await phone.receive_json_from()
            await sync_to_async(h.issue)("business", now=at(9, 31))
            quiet = await phone.receive_nothing(timeout=QUIET)
            return moved, quiet

    moved, quiet = run(scenario)

    assert moved == {"event": "queue.moved"}
    assert quiet


def test_a_phone_hears_its_own_ticket_called_to_a_window(h):
    mine = h.issue("social", now=at(9, 5))
    h.open(0, now=at(9))

    async def scenario():
        async with connected(f"/ws/hall/t/{mine.public_token}/") as phone:
            await sync_to_async(h.call)(0, now=at(9, 30))
            return await phone.receive_json_from()

    assert run(scenario) == {"event": "ticket", "display": "F001", "state": "called", "window": 1}


def test_a_phone_with_an_unknown_token_is_closed():
    assert run(partial(_closed_with, "/ws/hall/t/no-such-token/")) == 4404


# --- Redis ----------------------------------------------------------------------------------------


def test_a_committed_call_reaches_a_board_through_redis(h, redis_channel_layer):
    # given a board listening through Redis (the layer of this test alone)
    _serve(h)

    async def scenario():
        async with connected(f"/ws/hall/board/{h.centre.code}/") as board:
            await sync_to_async(h.call)(0)
            return await board.receive_json_from()

    # when a clerk's call commits, then it arrives
    call = run(scenario)

    assert (call["display"], call["window"]) == ("F001", 1)


def test_a_board_idle_longer_than_the_redis_blocking_wait_still_hears_the_next_call(
    h, redis_channel_layer
):
    """channels-redis waits 5 s per blocking receive; with a socket timeout no longer than
    that, redis-py gives up first and the board's receive loop dies with it."""
    _serve(h)

    async def scenario():
        async with connected(f"/ws/hall/board/{h.centre.code}/") as board:
            await asyncio.sleep(redis_channel_layer.brpop_timeout + 1)
            await sync_to_async(h.call)(0)
            return await board.receive_json_from()

    assert run(scenario)["display"] == "F001"


def test_the_settings_redis_layer_outwaits_its_blocking_receive():
    """What config/settings/base.py builds when REDIS_URL is set (production's live pages)."""
    # given the settings read with REDIS_URL set, in a process of their own
    code = (
        "import json; from config.settings import base; "
        "print(json.dumps(base.CHANNEL_LAYERS['default']))"
    )
    env = {"REDIS_URL": "redis://127.0.0.1:6379/0", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        check=True,
        text=True,
    ).stdout

    # then the socket outlasts channels-redis's blocking receive
    from channels_redis.core import RedisChannelLayer

    layer = json.loads(out)
    (host,) = layer["CONFIG"]["hosts"]
    assert layer["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    assert host["socket_timeout"] > RedisChannelLayer.brpop_timeout
