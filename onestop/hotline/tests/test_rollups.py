"""The figures' daily rollups (decision 0030): what they add up to equals the live count of
the same days, a second run changes nothing, and a change to an order of a rolled-up day (or
a call reported late) is counted again by the next run."""

from datetime import date, datetime, time, timedelta

import pytest

from onestop.hotline import services
from onestop.hotline.metrics import hotline_metrics, rollup_day, rollup_days
from onestop.hotline.models import (
    CallRecord,
    CallRollup,
    Line,
    OrderRollup,
    RollupDay,
    WorkOrder,
)
from onestop.hotline.telephony import InboundCall
from onestop.hotline.tests.factories import OTHER_PHONE, PHONE, local

pytestmark = pytest.mark.django_db

FIRST, LAST = date(2026, 11, 2), date(2026, 11, 4)
TODAY = date(2026, 11, 5)


def _at(day: date, hour: int) -> datetime:
    return local(day.year, day.month, day.day, hour)


@pytest.fixture
def days(city):
    """Three days of calls and orders in every state, and a few today."""
    Line.objects.create(
        code="environment", name="生态环境热线", department=city.environment, around_the_clock=True
    )
    Line.objects.create(
        code="tax",
        name="纳税服务热线",
        department=city.environment,
        opens=time(8),
        closes=time(20),
    )
    serial = 0
    for offset, day in enumerate([FIRST, FIRST + timedelta(days=1), LAST, TODAY]):
        calls = []
        for hour in (3, 9, 10, 15, 21):
            for line in ("environment", "tax"):
                serial += 1
                calls.append(
                    InboundCall(
                        f"c-{serial}", line, PHONE, _at(day, hour), 10 + hour, hour % 3 != 0, 90
                    )
                )
        services.calls_register(actor=None, calls=calls)
        # a complaint replied on time and visited: satisfied, or not (reopened)
        order = city.create(now=_at(day, 9))
        services.order_dispatch(actor=city.agent, order_id=order.pk, now=_at(day, 9))
        services.order_accept(actor=city.handler, order_id=order.pk, now=_at(day, 10))
        services.order_reply(
            actor=city.handler, order_id=order.pk, reply="已处理", now=_at(day, 11)
        )
        services.order_return_visit(
            actor=city.agent,
            order_id=order.pk,
            resolved=True,
            satisfaction="satisfied" if offset % 2 == 0 else "dissatisfied",
            now=_at(day, 12),
        )
        # a report in another class, returned by the department
        report = city.create(
            kind="report",
            category_code=city.sanitation.code,
            now=_at(day, 13),
            contact_phone=OTHER_PHONE,
        )
        services.order_dispatch(actor=city.agent, order_id=report.pk, now=_at(day, 13))
        # a consultation answered at once (first contact), on the web on odd days
        consultation = city.create(
            kind="consultation",
            channel="phone" if offset % 2 == 0 else "web",
            region_code=city.yuexiu.code,
            now=_at(day, 16),
        )
        if offset % 2 == 0:
            services.order_consultation_answer(
                actor=city.agent, order_id=consultation.pk, answer="已解答", now=_at(day, 16)
            )
    return city


def _rows() -> list[tuple[object, ...]]:
    orders = list(OrderRollup.objects.order_by("day", "dimension", "key").values_list())
    calls = list(CallRollup.objects.order_by("day", "dimension", "key").values_list())
    return [row[1:] for row in orders] + [row[1:] for row in calls]


def test_the_rolled_up_figures_equal_the_live_count_of_the_same_days(days):
    # given: nothing rolled up, everything counted live
    live = hotline_metrics(FIRST, TODAY, today=TODAY)
    each_day = [hotline_metrics(d, d, today=TODAY) for d in (FIRST, LAST, TODAY)]
    assert live.orders == 12 and live.calls == 40 and live.reopen_rate is not None
    # when
    report = rollup_days(today=TODAY)
    # then: the closed days are rolled up, today is not, and the figures are the same
    assert report.computed == [FIRST, FIRST + timedelta(days=1), LAST]
    assert not RollupDay.objects.filter(day=TODAY).exists()
    assert hotline_metrics(FIRST, TODAY, today=TODAY) == live
    assert [hotline_metrics(d, d, today=TODAY) for d in (FIRST, LAST, TODAY)] == each_day


def test_running_the_rollup_again_changes_nothing(days):
    rollup_days(today=TODAY)
    rows = _rows()
    assert rows
    again = rollup_days(today=TODAY)
    recomputed = rollup_day(FIRST)
    assert again.days == 0
    assert recomputed > 0
    assert _rows() == rows


def test_past_days_are_read_from_the_rollups_and_only_today_live(days):
    # given
    rollup_days(today=TODAY)
    past = hotline_metrics(FIRST, LAST, today=TODAY)
    with_today = hotline_metrics(FIRST, TODAY, today=TODAY)
    # when: the rolled-up days' orders and calls are gone (as if archived)
    start_of_today = _at(TODAY, 0).replace(hour=0)
    CallRecord.objects.filter(arrived_at__lt=start_of_today).delete()
    WorkOrder.objects.filter(created_at__lt=start_of_today).delete()
    # then: the past days' figures do not change, and today's are still counted live
    assert hotline_metrics(FIRST, LAST, today=TODAY) == past
    assert hotline_metrics(FIRST, TODAY, today=TODAY) == with_today
    assert hotline_metrics(TODAY, TODAY, today=TODAY).orders == 3


def test_a_change_to_an_order_of_a_rolled_up_day_is_counted_by_the_next_run(days):
    rollup_days(today=TODAY)
    # given: an order of the first day, rolled up while new, is dispatched and replied today
    report = days.create(now=_at(FIRST, 18))
    rollup_day(FIRST)
    assert not RollupDay.objects.get(day=FIRST).dirty
    services.order_dispatch(actor=days.agent, order_id=report.pk, now=_at(TODAY, 8))
    assert RollupDay.objects.get(day=FIRST).dirty
    services.order_accept(actor=days.handler, order_id=report.pk, now=_at(TODAY, 9))
    services.order_reply(actor=days.handler, order_id=report.pk, reply="ok", now=_at(TODAY, 10))
    # when
    run = rollup_days(today=TODAY)
    # then: only that day is computed again, and it matches the live count
    assert run.computed == [FIRST]
    assert not RollupDay.objects.get(day=FIRST).dirty
    rolled = hotline_metrics(FIRST, FIRST, today=TODAY)
    RollupDay.objects.all().delete()
    assert hotline_metrics(FIRST, FIRST, today=TODAY) == rolled


def test_a_call_reported_late_for_a_rolled_up_day_is_counted_by_the_next_run(days):
    rollup_days(today=TODAY)
    before = hotline_metrics(LAST, LAST, today=TODAY).calls
    services.calls_register(
        actor=None, calls=[InboundCall("late-1", "environment", PHONE, _at(LAST, 8), 5, True, 60)]
    )
    assert RollupDay.objects.get(day=LAST).dirty
    assert rollup_days(today=TODAY).computed == [LAST]
    assert hotline_metrics(LAST, LAST, today=TODAY).calls == before + 1
