"""The API for partner channels, as a citizen's client calls it."""

import pytest
import time_machine

from onestop.appointments.models import Booking
from onestop.appointments.tests.conftest import NOW, local, slot_at
from onestop.identity.tests.factories import citizen
from onestop.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

BASE = "/api/v1/appointments"


@pytest.fixture(autouse=True)
def monday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def api(client, alice):
    client.force_login(alice)
    return client


def channel_sign_in(client, phone: str) -> dict[str, str]:
    """What a partner channel does: ask for the citizen's code, read it (here from the
    outbox; there the citizen types it) and trade it for a token."""
    identity = "/api/v1/identity/signin"
    client.post(f"{identity}/sms-code", {"phone": phone}, content_type="application/json")
    code = OutboxMessage.objects.filter(template="sms_signin_code").latest("pk").context["code"]
    issued = client.post(
        f"{identity}/token",
        {"phone": phone, "code": code, "channel": "穗好办"},
        content_type="application/json",
    )
    assert issued.status_code == 201, issued.content
    return {"HTTP_AUTHORIZATION": f"Bearer {issued.json()['token']}"}


def test_centres_days_and_slots(api, template):
    centres = api.get(f"{BASE}/centres", {"region": "440106"}).json()
    assert [(c["code"], [k["code"] for k in c["categories"]]) for c in centres] == [
        ("gz-th", ["social"])
    ]
    days = api.get(f"{BASE}/days", {"centre": "gz-th", "category": "social"}).json()
    assert days[0] == {
        "day": "2026-11-30",
        "opens_at": "2026-11-23T08:00:00+08:00",
        "is_open": True,
        "remaining": 2 * 9,  # the slots from 10:30 on, two seats each
    }
    assert {d["day"]: d["is_open"] for d in days}["2026-12-08"] is False
    slots = api.get(f"{BASE}/slots", {"centre": "gz-th", "category": "social", "day": "2026-12-01"})
    assert len(slots.json()) == 12
    assert slots.json()[0]["remaining"] == 2


def test_a_partner_channel_signs_in_books_lists_and_cancels(client, centre, slot):
    citizen(phone="13800138001")
    headers = channel_sign_in(client, "13800138001")

    # when
    created = client.post(
        f"{BASE}/bookings", {"slot_id": slot.pk}, content_type="application/json", **headers
    )

    # then
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "booked"
    assert body["starts_at"] == "2026-12-01T10:00:00+08:00"
    assert body["qr_text"].startswith(f"B{body['id']}.{body['code']}:")
    listed = client.get(f"{BASE}/bookings", **headers).json()
    assert [b["code"] for b in listed] == [body["code"]]
    qr = client.get(f"{BASE}/bookings/{body['id']}/qr.svg", **headers)
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<svg")
    cancelled = client.post(f"{BASE}/bookings/{body['id']}/cancel", **headers)
    assert cancelled.json()["state"] == "cancelled"
    assert cancelled.json()["qr_text"] is None


def problem(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert response.json()["title"]


def test_a_full_slot_is_a_409_problem(api, bob, slot):
    from onestop.appointments.services import booking_create
    from onestop.identity.tests.factories import citizen

    booking_create(actor=bob, slot_id=slot.pk)
    booking_create(actor=citizen(), slot_id=slot.pk)
    problem(
        api.post(f"{BASE}/bookings", {"slot_id": slot.pk}, content_type="application/json"),
        409,
        "slot_full",
    )
    assert Booking.objects.count() == 2


def test_bad_requests(api, centre, template):
    past = slot_at(centre, local(2026, 11, 30, 9))
    not_open = slot_at(centre, local(2026, 12, 8, 9))
    post = lambda body: api.post(f"{BASE}/bookings", body, content_type="application/json")  # noqa: E731
    problem(post({"slot_id": past.pk}), 409, "slot_past")
    problem(post({"slot_id": not_open.pk}), 409, "booking_not_open")
    problem(post({"slot_id": 987654}), 404, "slot_not_found")
    problem(post({"slot": "x"}), 422, "validation_error")
    problem(api.get(f"{BASE}/bookings/987654"), 404, "booking_not_found")
    problem(
        api.get(f"{BASE}/slots", {"centre": "gz-th", "category": "trade", "day": "2026-12-01"}),
        404,
        "category_not_found",
    )


def test_anonymous_callers_get_401(client, template):
    problem(client.get(f"{BASE}/centres"), 401, "not_authenticated")
    problem(
        client.post(f"{BASE}/bookings", {"slot_id": 1}, content_type="application/json"),
        401,
        "not_authenticated",
    )


def test_another_citizens_booking_is_not_found(api, bob, slot):
    from onestop.appointments.services import booking_create

    theirs = booking_create(actor=bob, slot_id=slot.pk)
    problem(api.get(f"{BASE}/bookings/{theirs.pk}/qr.svg"), 404, "booking_not_found")
    problem(api.post(f"{BASE}/bookings/{theirs.pk}/cancel"), 404, "booking_not_found")
