"""What the hot paths cost in queries (decision 0030), pinned so that they cannot grow
silently: registering an order, dispatching it, and Open311's list of requests."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onestop.core.models import Department
from onestop.hotline import config_cache, services
from onestop.hotline.enums import OrderState
from onestop.hotline.tests.factories import local

pytestmark = pytest.mark.django_db

# savepoint, the configuration stamp (class and region come from the snapshot) with, on
# PostgreSQL, the order's id from its sequence, insert, its number (SQLite only: PostgreSQL
# knows it before the insert), timeline row, audit (head, entry, head), release
CREATE_QUERIES = 8 if connection.vendor == "postgresql" else 9
# savepoint, the order (locked) with the configuration stamp (route, bureau, time limit and
# due date from the snapshot), the move, timeline row, audit (head, entry, head), release
DISPATCH_QUERIES = 8


def _warm(city):
    """The first order in a process builds the configuration snapshot, and the first
    dispatch of the day works out the due date on the calendar."""
    services.order_dispatch(actor=city.agent, order_id=city.create().pk)


def test_registering_an_order_costs_a_fixed_number_of_queries(city, django_assert_max_num_queries):
    _warm(city)
    with django_assert_max_num_queries(CREATE_QUERIES):
        order = city.create()
    assert order.state == OrderState.NEW


def test_dispatching_an_order_costs_a_fixed_number_of_queries(city, django_assert_max_num_queries):
    _warm(city)
    order = city.create()
    with django_assert_max_num_queries(DISPATCH_QUERIES):
        dispatched = services.order_dispatch(actor=city.agent, order_id=order.pk)
    assert dispatched.department == city.environment_tianhe


def test_the_query_count_does_not_grow_with_the_orders_already_there(city):
    _warm(city)
    counts = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            order = city.create()
            services.order_dispatch(actor=city.agent, order_id=order.pk)
        counts.append(len(queries.captured_queries))
    assert counts == [counts[0]] * 3
    assert counts[0] <= CREATE_QUERIES + DISPATCH_QUERIES


def test_a_route_changed_after_the_snapshot_was_built_is_followed_at_once(city):
    # given: the snapshot routes noise in Tianhe to the environment bureau
    _warm(city)
    # when: noise complaints in Tianhe go to city management instead
    services.route_set(
        actor=None,
        category_code=city.noise.code,
        region_code=city.tianhe.code,
        department_code="GZ-CGJ",
    )
    dispatched = services.order_dispatch(actor=city.agent, order_id=city.create().pk)
    # then: the new, more specific rule wins, down to the district's bureau
    assert dispatched.department == city.city_management_tianhe


def test_a_new_bureau_is_routed_to_without_waiting_for_the_snapshot_to_age(city):
    _warm(city)
    baiyun = city.tianhe.__class__.objects.create(
        code="440111", name="白云区", level=2, parent=city.city
    )
    community = city.tianhe.__class__.objects.create(
        code="440111001001", name="测试社区", level=4, parent=baiyun
    )
    order = city.create(region_code=community.code)
    assert services.order_dispatch(actor=city.agent, order_id=order.pk).department == (
        city.environment
    )
    bureau = Department.objects.create(
        code="GZ-STHJJ-440111",
        name="广州市生态环境局白云分局",
        short_name="白云分局",
        region=baiyun,
        parent=city.environment,
        uscc="",
    )
    later = city.create(region_code=community.code)
    assert services.order_dispatch(actor=city.agent, order_id=later.pk).department == bureau


def test_the_time_limit_rules_are_part_of_the_snapshot(city):
    from onestop.hotline.models import DueRule

    _warm(city)
    DueRule.objects.create(kind="complaint", urgency="normal", limit=1, unit="working_days")
    at = local(2026, 12, 2, 10)
    order = services.order_dispatch(actor=city.agent, order_id=city.create(now=at).pk, now=at)
    assert order.limit == 1
    assert order.due_at is not None and order.due_at < at + timedelta(days=2)
    assert config_cache.current().due_limit("complaint", "normal") == (1, "working_days")


OPEN311_LIST_QUERIES = 1


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_lists_requests_in_one_query_however_many_there_are(
    client, city, fmt, django_assert_max_num_queries
):
    # given: dispatched, closed and waiting orders, a report among them
    for n in range(6):
        order = city.create(kind="report" if n == 0 else "complaint")
        if n % 2:
            services.order_dispatch(actor=city.agent, order_id=order.pk)
    # when
    with django_assert_max_num_queries(OPEN311_LIST_QUERIES):
        response = client.get(f"/open311/v2/requests.{fmt}")
    # then
    assert response.status_code == 200
    if fmt == "json":
        rows = response.json()
        assert len(rows) == 6
        assert {r["agency_responsible"] for r in rows} == {"", city.environment_tianhe.name}
        assert sum(1 for r in rows if r["description"] == "") == 1
    else:
        assert response.content.count(b"<request>") == 6


def test_a_calendar_override_changes_the_due_date_of_the_next_dispatch(city):
    from onestop.core.workdays import calendar_override_set
    from onestop.identity.tests.factories import platform_admin

    at = local(2026, 12, 2, 10)
    first = services.order_dispatch(actor=city.agent, order_id=city.create(now=at).pk, now=at)
    # the next working day becomes a day off: the due date moves a day later
    calendar_override_set(
        actor=platform_admin(), date=date(2026, 12, 3), is_working_day=False, reason="台风停工"
    )
    later = services.order_dispatch(actor=city.agent, order_id=city.create(now=at).pk, now=at)
    assert first.due_at is not None and later.due_at == first.due_at + timedelta(days=1)


def test_an_unknown_region_or_class_is_still_refused(city):
    from onestop.core.errors import NotFound

    _warm(city)
    with pytest.raises(NotFound):
        city.create(region_code="440106999999")
    with pytest.raises(NotFound):
        city.create(category_code="9999999")
