"""The hall's tests each get a channel layer of their own.

Channels caches the layer it builds in one process-wide object (`channels.layers.
channel_layers`). A layer left there by an earlier test carries that test's groups and queued
messages and, for Redis, connection pools and a receive lock bound to an event loop the
earlier test has closed; which test ran before then decides what the next one hears. So
every hall test starts and ends with no layer built, and a test that needs Redis gets a
layer of its own through `redis_channel_layer`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers, get_channel_layer
from django.test import override_settings

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")


@pytest.fixture(autouse=True)
def no_channel_layer_left_over() -> Iterator[None]:
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def redis_layers(url: str, prefix: str) -> dict[str, Any]:
    """CHANNEL_LAYERS for Redis at `url`, as config/settings/base.py builds them: the socket
    timeout outlasts channels-redis's blocking receive (5 s), which redis-py's default (also
    5 s) does not: a board idle for 5 s would otherwise lose its receive loop to a
    "Timeout reading from socket" and never hear the next call."""
    from channels_redis.core import RedisChannelLayer

    return {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": url, "socket_timeout": 3 * RedisChannelLayer.brpop_timeout}],
                "prefix": prefix,
            },
        }
    }


@pytest.fixture
def redis_channel_layer() -> Iterator[Any]:
    """Redis (TEST_REDIS_URL) as the channel layer for this test only: its keys under a prefix
    of its own, because group names repeat (centre ids restart in every test database, and
    other processes and earlier runs use the same Redis database); built before the test, so
    importing channels-redis and making the layer fall in no timed wait; its keys deleted and
    its connections closed afterwards."""
    if not TEST_REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    prefix = f"onestop-test-{uuid.uuid4().hex[:12]}"
    with override_settings(CHANNEL_LAYERS=redis_layers(TEST_REDIS_URL, prefix)):
        layer = get_channel_layer()
        yield layer
        async_to_sync(layer.flush)()
