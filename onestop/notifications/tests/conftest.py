import secrets

import pytest

from onestop.notifications import backends
from onestop.notifications.tests import factories
from tests.support.sms_gateway import running_gateway


@pytest.fixture
def memory_sms(settings):
    """The memory SMS backend, emptied before and after the test."""
    settings.ONESTOP_SMS_BACKEND = "memory"
    backends.memory_reset()
    yield backends
    backends.memory_reset()


@pytest.fixture
def sms_gateway(settings):
    """A real local HTTP gateway, with the http backend pointed at it."""
    key = secrets.token_hex(16)
    with running_gateway(key=key) as gateway:
        settings.ONESTOP_SMS_BACKEND = "http"
        settings.ONESTOP_SMS_GATEWAY_URL = gateway.url
        settings.ONESTOP_SMS_GATEWAY_KEY = key
        yield gateway


@pytest.fixture
def enqueue_sms(db):
    return factories.sms


@pytest.fixture
def platform_admin(db):
    return factories.platform_admin()
