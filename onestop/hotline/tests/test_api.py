import pytest

from onestop.hotline.models import WorkOrder
from onestop.hotline.tests.factories import OTHER_PHONE, PHONE
from onestop.identity.tests.factories import citizen

pytestmark = pytest.mark.django_db

URL = "/api/v1/hotline/requests"


def _body(city, **overrides):
    body = {
        "kind": "complaint",
        "category": city.noise.code,
        "region": city.liede.code,
        "text": "小区旁工地夜间施工噪音扰民",
        "contact_phone": PHONE,
        "channel": "wechat",
    }
    body.update(overrides)
    return body


@pytest.fixture
def signed_in(client):
    client.force_login(citizen())
    return client


def test_a_request_from_the_app_is_submitted_once_per_idempotency_key(signed_in, city):
    # when
    first = signed_in.post(
        URL, _body(city), content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc-1"
    )
    again = signed_in.post(
        URL, _body(city), content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc-1"
    )
    # then
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["number"] == again.json()["number"]
    assert WorkOrder.objects.get().channel == "wechat"
    assert PHONE not in first.content.decode()


def test_the_same_key_with_another_request_is_a_conflict(signed_in, city):
    signed_in.post(URL, _body(city), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k")
    response = signed_in.post(
        URL, _body(city, text="别的事情"), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"
    assert WorkOrder.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"text": ""}, "invalid_text"),
        ({"text": "x" * 50_000}, "invalid_text"),
        ({"contact_phone": "not-a-phone"}, "invalid_phone"),
        ({"category": "0000000"}, "unknown_category"),
        ({"region": "999999"}, "unknown_region"),
        ({"channel": "phone"}, "invalid_channel"),
    ],
)
def test_bad_requests_get_a_clear_error_and_change_nothing(signed_in, city, overrides, code):
    response = signed_in.post(URL, _body(city, **overrides), content_type="application/json")
    assert response.status_code in (404, 422)
    assert response.json()["code"] == code
    assert not WorkOrder.objects.exists()


def test_tracking_answering_and_the_return_visit(signed_in, city):
    # given: a request handled by the department, which asks a question
    number = signed_in.post(URL, _body(city), content_type="application/json").json()["number"]
    from onestop.hotline import services

    order = WorkOrder.objects.get(number=number)
    services.order_dispatch(actor=city.agent, order_id=order.pk)
    services.order_accept(actor=city.handler, order_id=order.pk)
    services.order_ask(actor=city.handler, order_id=order.pk, question="几点开始施工？")
    # when
    tracked = signed_in.post(
        f"{URL}/track", {"number": number, "phone": PHONE}, content_type="application/json"
    )
    answered = signed_in.post(
        f"{URL}/information",
        {"number": number, "phone": PHONE, "text": "每晚十一点后"},
        content_type="application/json",
    )
    services.order_reply(actor=city.handler, order_id=order.pk, reply="已处理")
    visit = signed_in.post(
        f"{URL}/return-visit",
        {"number": number, "phone": PHONE, "resolved": True, "satisfaction": "satisfied"},
        content_type="application/json",
    )
    wrong = signed_in.post(
        f"{URL}/track", {"number": number, "phone": OTHER_PHONE}, content_type="application/json"
    )
    # then
    assert tracked.json()["state"] == "awaiting_citizen"
    assert tracked.json()["question"] == "几点开始施工？"
    assert answered.json()["state"] == "in_progress"
    assert visit.json()["state"] == "closed"
    assert wrong.status_code == 404


def test_the_api_needs_a_signed_in_caller(client, city):
    response = client.post(URL, _body(city), content_type="application/json")
    assert response.status_code == 401
