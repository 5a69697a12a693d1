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


@pytest.fixture
def serving():
    """`serving(actor, person)` makes the platform count `actor` as serving `person`, as the
    hall does when the person's ticket is at the clerk's window; forgotten after the test."""
    from onestop.identity.hooks import Purpose, forget_purpose, register_purpose

    pairs: set[tuple[int, int]] = set()

    def check(actor, person, field):
        if (actor.pk, person.pk) in pairs:
            return Purpose("test.serving", f"test.person:{person.pk}")
        return None

    register_purpose("test.serving", check)

    def serve(actor, person) -> None:
        pairs.add((actor.pk, person.pk))

    yield serve
    forget_purpose("test.serving")
