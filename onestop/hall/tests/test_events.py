"""Live events go out after commit, never for a change that rolled back; with Redis a
committed call arrives on the centre's and the ticket's groups."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.test import override_settings

from onestop.hall import events
from onestop.hall.tests.factories import at, hall

pytestmark = pytest.mark.django_db

IN_MEMORY = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def _listen(*groups: str) -> tuple[object, str]:
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    for group in groups:
        async_to_sync(layer.group_add)(group, channel)
    return layer, channel


async def _drain(layer, channel, timeout: float = 2.0) -> list[dict]:
    import asyncio

    received = []
    while True:
        try:
            received.append(await asyncio.wait_for(layer.receive(channel), timeout))
        except TimeoutError:
            return received
        timeout = 0.2


def _received(layer, channel) -> list[dict]:
    return async_to_sync(_drain)(layer, channel)


class Boom(Exception):
    pass


@override_settings(CHANNEL_LAYERS=IN_MEMORY)
def test_a_change_that_rolls_back_publishes_nothing(django_capture_on_commit_callbacks):
    # given
    h = hall()
    h.open(0)
    h.issue(now=at(9))
    layer, channel = _listen(events.centre_group(h.centre.pk))

    # when a call is rolled back by the transaction around it
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        h.call(0)
        raise Boom

    # then nothing was queued and nothing arrives
    assert callbacks == []
    assert async_to_sync(_drain)(layer, channel, 0.3) == []


@override_settings(CHANNEL_LAYERS=IN_MEMORY)
def test_events_are_queued_for_after_the_commit(django_capture_on_commit_callbacks):
    # given
    h = hall()
    h.open(0)
    layer, channel = _listen(events.centre_group(h.centre.pk))

    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ticket = h.issue(now=at(9))
    assert async_to_sync(_drain)(layer, channel, 0.2) == []
    for callback in callbacks:
        callback()

    # then
    (message,) = _received(layer, channel)
    assert message["type"] == "hall.event"
    assert message["event"] == "ticket.issued"
    assert message["ticket"]["display"] == ticket.display


def test_a_committed_call_arrives_on_the_centre_and_ticket_groups_over_redis(
    django_capture_on_commit_callbacks, redis_channel_layer
):
    # given
    h = hall()
    h.open(0)
    ticket = h.issue(now=at(9))
    layer, channel = _listen(
        events.centre_group(h.centre.pk), events.ticket_group(ticket.public_token)
    )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        called = h.call(0, now=at(9, 30))

    # then both groups got it
    received = _received(layer, channel)
    assert [m["event"] for m in received] == ["ticket.called", "ticket.called"]
    # the one projection of a ticket (HallTicketOut), as the API shows it
    assert received[0]["ticket"] == events.ticket_payload(called, h.windows[0])
    assert (received[0]["ticket"]["display"], received[0]["ticket"]["state"]) == ("F001", "called")
    assert received[0]["ticket"]["window"] == 1
    assert received[0]["at"] == at(9, 30).isoformat()
