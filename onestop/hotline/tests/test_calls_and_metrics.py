from datetime import date, time

import pytest
from django.urls import reverse
from django.utils import timezone

from onestop.core.errors import NotFound
from onestop.hotline import services
from onestop.hotline.metrics import hotline_metrics
from onestop.hotline.models import CallRecord, Line
from onestop.hotline.telephony import HOURLY_SHARE, InboundCall, SimulatedTelephony
from onestop.hotline.tests.factories import local

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 2)


@pytest.fixture
def lines(city):
    return [
        Line.objects.create(
            code="environment",
            name="生态环境投诉举报热线",
            department=city.environment,
            around_the_clock=True,
        ),
        Line.objects.create(
            code="tax",
            name="纳税服务热线",
            department=city.environment,
            opens=time(8),
            closes=time(20),
        ),
    ]


def test_the_simulator_has_a_realistic_day(lines):
    # given
    telephony = SimulatedTelephony(["environment", "tax"], per_day=2000)
    # when
    calls = list(telephony.calls(DAY))
    again = list(telephony.calls(DAY))
    # then
    assert abs(len(calls) - 2000) < 30
    assert calls == again
    by_hour = [0] * 24
    for call in calls:
        by_hour[timezone.localtime(call.arrived_at).hour] += 1
    assert by_hour[10] > 10 * by_hour[3]
    assert max(range(24), key=lambda h: by_hour[h]) == max(range(24), key=lambda h: HOURLY_SHARE[h])
    answered = sum(call.answered for call in calls) / len(calls)
    assert 0.6 < answered < 0.95


def test_calls_are_recorded_once_and_out_of_hours_ones_get_a_callback(lines):
    # given
    night = InboundCall("c-1", "tax", "13800138000", local(2026, 12, 2, 23), 5, True, 100)
    day = InboundCall("c-2", "tax", "13800138000", local(2026, 12, 2, 10), 5, True, 100)
    # when
    first = services.calls_register(actor=None, calls=[night, day])
    again = services.calls_register(actor=None, calls=[night, day])
    # then
    assert (first, again) == (2, 0)
    outcomes = dict(CallRecord.objects.values_list("external_id", "outcome"))
    assert outcomes == {"c-1": "callback", "c-2": "answered"}
    assert CallRecord.objects.get(external_id="c-2").caller_masked == "138****8000"


def test_a_call_on_an_unknown_line_is_refused_and_nothing_is_recorded(lines):
    call = InboundCall("c-9", "nowhere", "13800138000", local(2026, 12, 2, 10), 5, True, 100)
    with pytest.raises(NotFound):
        services.calls_register(actor=None, calls=[call])
    assert not CallRecord.objects.exists()


def test_the_metrics_count_answer_rate_and_on_time_rate(city, lines):
    # given: 3 calls, 2 answered; one order replied on time
    services.calls_register(
        actor=None,
        calls=[
            InboundCall("a", "environment", "13800138000", local(2026, 12, 2, 9), 10, True, 60),
            InboundCall("b", "environment", "13800138001", local(2026, 12, 2, 9), 30, True, 60),
            InboundCall("c", "environment", "13800138002", local(2026, 12, 2, 9), 200, False, 0),
        ],
    )
    city.replied()
    # when
    figures = hotline_metrics(timezone.localdate(), timezone.localdate())
    day = hotline_metrics(DAY, DAY)
    # then
    assert figures.orders == 1 and figures.on_time_rate == 1.0
    assert day.calls == 3 and day.answer_rate == round(2 / 3, 4)
    assert day.average_speed_of_answer == 20.0
    assert day.abandonment_rate == round(1 / 3, 4)


def test_the_metrics_page_is_for_dispatchers_and_exports_csv(client, city, lines):
    city.replied()
    client.force_login(city.handler)
    assert client.get(reverse("hotline:metrics")).status_code == 403
    client.force_login(city.dispatcher)
    page = client.get(reverse("hotline:metrics"))
    csv = client.get(reverse("hotline:metrics"), {"format": "csv"})
    assert page.status_code == 200 and 'id="m-on-time"' in page.content.decode()
    assert csv["Content-Type"] == "text/csv"
    assert "on_time_rate,1.0" in csv.content.decode()
