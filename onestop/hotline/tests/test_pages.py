"""The console, the department's inbox and order page, and the citizen's tracking page, as
their users see them."""

import pytest
from django.urls import reverse

from onestop.hotline import services
from onestop.hotline.enums import OrderState
from onestop.hotline.models import WorkOrder
from onestop.hotline.tests.factories import OTHER_PHONE, PHONE

pytestmark = pytest.mark.django_db

NOISE = "猎德社区夜间施工噪音扰民，凌晨两点仍在打桩。"


def test_the_console_shows_history_a_similar_order_and_a_suggested_class(client, city):
    # given: an earlier order from the same caller about the same noise
    earlier = city.dispatched()
    client.force_login(city.agent)
    # when
    response = client.post(
        reverse("hotline:console"),
        {
            "phone": PHONE,
            "text": "猎德社区晚上工地打桩噪音太吵",
            "region": city.liede.code,
            "action": "look",
        },
    )
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="caller-history"' in html and earlier.number in html
    assert 'id="similar-orders"' in html
    assert f'value="{city.noise.code}" selected' in html
    assert "噪音" in html.split('id="suggestions"')[1].split("</p>")[0]
    assert city.environment_tianhe.name in html
    # the number the agent typed stays in its field; the lists show it masked, if at all
    lists = html.split('id="caller-history"')[1].split('id="create-form"')[0]
    assert PHONE not in lists and "138****8000" not in lists


def test_the_agent_creates_and_dispatches_from_the_console(client, city):
    # given
    client.force_login(city.agent)
    # when
    response = client.post(
        reverse("hotline:console"),
        {
            "phone": PHONE,
            "text": NOISE,
            "region": city.liede.code,
            "kind": "complaint",
            "category": city.noise.code,
            "action": "dispatch",
        },
    )
    # then
    order = WorkOrder.objects.get()
    assert response.status_code == 302
    assert order.state == OrderState.DISPATCHED
    assert order.department == city.environment_tianhe


def test_a_bad_phone_on_the_console_is_shown_and_nothing_is_created(client, city):
    client.force_login(city.agent)
    response = client.post(
        reverse("hotline:console"),
        {
            "phone": "12345",
            "text": NOISE,
            "region": city.liede.code,
            "kind": "complaint",
            "category": city.noise.code,
            "action": "dispatch",
        },
    )
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert not WorkOrder.objects.exists()


def test_a_handler_cannot_open_the_console(client, city):
    client.force_login(city.handler)
    assert client.get(reverse("hotline:console")).status_code == 403


def test_the_inbox_lists_the_departments_orders_only(client, city):
    # given
    order = city.dispatched()
    # when
    client.force_login(city.other_handler)
    other = client.get(reverse("hotline:inbox")).content.decode()
    client.force_login(city.handler)
    mine = client.get(reverse("hotline:inbox")).content.decode()
    # then
    assert order.number not in other
    assert order.number in mine


def test_the_order_page_of_a_report_never_shows_the_informant(client, city):
    # given
    order = city.dispatched(kind="report", contact_name="林女士", contact_phone=OTHER_PHONE)
    client.force_login(city.handler)
    # when
    html = client.get(reverse("hotline:order", args=[order.pk])).content.decode()
    # then
    assert "林女士" not in html
    assert "5678" not in html and OTHER_PHONE not in html
    assert order.number in html


def test_another_department_gets_not_found_for_the_order_page(client, city):
    order = city.dispatched()
    client.force_login(city.other_handler)
    assert client.get(reverse("hotline:order", args=[order.pk])).status_code == 404


def test_the_handler_accepts_and_replies_on_the_order_page(client, city):
    # given
    order = city.dispatched()
    client.force_login(city.handler)
    # when
    client.post(reverse("hotline:order_act", args=[order.pk, "accept"]))
    response = client.post(
        reverse("hotline:order_act", args=[order.pk, "reply"]), {"reply": "已责令停工"}
    )
    # then
    assert response.status_code == 302
    assert WorkOrder.objects.get(pk=order.pk).state == OrderState.REPLIED


def test_replying_to_another_departments_order_changes_nothing(client, city):
    order = city.in_progress()
    client.force_login(city.other_handler)
    response = client.post(
        reverse("hotline:order_act", args=[order.pk, "reply"]), {"reply": "已处理"}
    )
    assert response.status_code == 404
    assert WorkOrder.objects.get(pk=order.pk).state == OrderState.IN_PROGRESS


def test_the_citizen_tracks_by_number_and_phone_and_answers_the_return_visit(client, city):
    # given
    order = city.replied()
    url = reverse("hotline:track")
    # when
    page = client.post(url, {"number": order.number, "phone": PHONE}).content.decode()
    wrong = client.post(url, {"number": order.number, "phone": OTHER_PHONE})
    client.post(
        url,
        {
            "number": order.number,
            "phone": PHONE,
            "action": "visit",
            "resolved": "no",
            "satisfaction": "dissatisfied",
        },
    )
    # then
    assert 'id="track-state"' in page and "已责令工地停止夜间施工" in page
    assert wrong.status_code == 404
    reopened = WorkOrder.objects.get(pk=order.pk)
    assert reopened.state == OrderState.DISPATCHED and reopened.reopen_count == 1


def test_the_tracking_page_hides_internal_entries(client, city):
    order = city.dispatched()
    services.order_contact_reveal(actor=city.agent, order_id=order.pk, purpose="回电核实")
    html = client.post(
        reverse("hotline:track"), {"number": order.number, "phone": PHONE}
    ).content.decode()
    assert "回电核实" not in html


@pytest.mark.parametrize(
    ("language", "word"),
    [("zh-hans", "查询"), ("zh-hant", "查詢"), ("en", "Track a 12345 request")],
)
def test_the_tracking_page_reads_in_three_languages(client, city, language, word):
    client.cookies["django_language"] = language
    assert word in client.get(reverse("hotline:track")).content.decode()


def test_html_in_a_request_is_shown_as_text(client, city):
    order = city.dispatched(text="<script>alert(1)</script>噪音")
    client.force_login(city.handler)
    html = client.get(reverse("hotline:order", args=[order.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
