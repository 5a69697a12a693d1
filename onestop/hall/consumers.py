"""WebSocket consumers of the hall: call boards, window consoles and the phone status page.

Each joins the groups `onestop.hall.events` publishes to after commit and passes on only
what its screen may show. The URL middleware does not see WebSocket routes, so each
consumer enforces its own rule:

- a call board is public, by centre code, and receives only calls: number and window;
- a window console needs a clerk (or the hall manager) of the centre, else it is closed
  with code 4403;
- a phone page knows its ticket's unguessable token and hears its own ticket's changes, and
  that its queue moved (never whose ticket moved).
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from onestop.centres.selectors import centre_get
from onestop.core.access import Place
from onestop.core.errors import NotFound
from onestop.hall import events, pages, policies
from onestop.hall.policies import Perm
from onestop.hall.selectors import ticket_by_token

CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404


class HallConsumer(AsyncJsonWebsocketConsumer):
    """Joins groups on accept and leaves them on disconnect."""

    joined: list[str]

    async def join(self, *groups: str) -> None:
        self.joined = list(groups)
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def refuse(self, code: int) -> None:
        # Accept first, so the browser sees why (a refused handshake has no code).
        self.joined = []
        await self.accept()
        await self.close(code=code)

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """Screens only listen; anything they send is ignored."""


class BoardConsumer(HallConsumer):
    async def connect(self) -> None:
        code = self.scope["url_route"]["kwargs"]["code"]
        try:
            centre = await database_sync_to_async(centre_get)(code)
        except NotFound:
            await self.refuse(CLOSE_NOT_FOUND)
            return
        await self.join(events.centre_group(centre.pk))

    async def hall_event(self, message: dict[str, Any]) -> None:
        call = pages.board_message(message)
        if call is not None:
            await self.send_json(call)


def _may_serve(user: Any, centre_id: int) -> bool:
    return policies.RULES.can(user, Perm.SERVE, Place(centre_id=centre_id)) or policies.RULES.can(
        user, Perm.MANAGE, Place(centre_id=centre_id)
    )


class ConsoleConsumer(HallConsumer):
    async def connect(self) -> None:
        centre_id = int(self.scope["url_route"]["kwargs"]["centre_id"])
        user = self.scope.get("user")
        if user is None or not await database_sync_to_async(_may_serve)(user, centre_id):
            await self.refuse(CLOSE_FORBIDDEN)
            return
        await self.join(events.centre_group(centre_id))

    async def hall_event(self, message: dict[str, Any]) -> None:
        await self.send_json({key: message.get(key) for key in ("event", "ticket", "window", "at")})


class TicketConsumer(HallConsumer):
    display: str
    queue: tuple[str, str]

    async def connect(self) -> None:
        token = self.scope["url_route"]["kwargs"]["token"]
        try:
            ticket = await database_sync_to_async(ticket_by_token)(token)
        except NotFound:
            await self.refuse(CLOSE_NOT_FOUND)
            return
        self.display = ticket.display
        self.queue = (ticket.category.code, ticket.kind)
        await self.join(
            events.ticket_group(ticket.public_token), events.centre_group(ticket.centre_id)
        )

    async def hall_event(self, message: dict[str, Any]) -> None:
        ticket = message.get("ticket") or {}
        if not ticket:
            return
        if ticket.get("display") == self.display:
            # Own ticket (it reaches both groups): its successor may be in another queue.
            if ticket.get("state") == "waiting" or message.get("event") != events.TICKET_CHANGED:
                self.queue = (ticket.get("category", ""), ticket.get("kind", ""))
            await self.send_json(
                {
                    "event": "ticket",
                    "display": ticket.get("display"),
                    "state": ticket.get("state"),
                    "window": ticket.get("window"),
                }
            )
        elif (ticket.get("category"), ticket.get("kind")) == self.queue:
            await self.send_json({"event": "queue.moved"})
