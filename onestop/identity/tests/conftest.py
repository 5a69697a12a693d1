import pytest
from django.utils import translation

from onestop.core import pii
from onestop.core.pii import PiiKind
from onestop.notifications.models import OutboxMessage


@pytest.fixture(autouse=True)
def _english(settings):
    # Messages are read in English; assertions are on codes wherever a client would act.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def sms_codes():
    """The sign-in codes queued for a phone, newest last, read from the outbox."""

    def codes(phone: str) -> list[str]:
        index = pii.blind_index(PiiKind.PHONE, phone)
        messages = OutboxMessage.objects.filter(
            recipient_phone_index=index, template="sms_signin_code"
        ).order_by("pk")
        return [message.context["code"] for message in messages]

    return codes
