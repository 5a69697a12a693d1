import secrets

import pytest
from django.db import transaction

from onestop.notifications import backends
from onestop.notifications.services import outbox_enqueue
from tests.support.sms_gateway import running_gateway

PHONE = "13812341234"


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
def enqueue_sms():
    def enqueue(phone: str = PHONE, **options):
        options.setdefault("template", "sms_signin_code")
        options.setdefault("context", {"code": "482913", "minutes": 5})
        with transaction.atomic():
            return outbox_enqueue(channel="sms", phone=phone, **options)

    return enqueue


@pytest.fixture
def platform_admin(django_user_model):
    return django_user_model.objects.create_superuser("root", "pw")
