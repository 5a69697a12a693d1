"""Our Open311 GeoReport v2 read by a client we did not write (PyPI `georeport`), in JSON
and in XML, over real HTTP; and a POST from a plain HTTP client with `attribute[...]` fields
creating an order that waits in the dispatchers' queue."""

import httpx
import pytest
from georeport import GeoReport

from onestop.hotline import selectors, services
from onestop.hotline.models import WorkOrder
from onestop.hotline.tests.factories import PHONE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def partner(city):
    return services.open311_key_create(actor=None, name="partner")[1]


@pytest.fixture
def posted(live_server, city, partner):
    """A request posted form-encoded, as a partner's plain HTTP client sends it."""
    response = httpx.post(
        f"{live_server.url}/open311/v2/requests.json",
        data={
            "api_key": partner,
            "service_code": city.noise.code,
            "attribute[region]": city.liede.code,
            "attribute[kind]": "complaint",
            "description": "猎德社区工地夜间打桩，噪音扰民",
            "address_string": "猎德大道88号旁工地",
            "phone": PHONE,
        },
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return response.json()[0]["service_request_id"]


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_the_georeport_client_lists_and_reads_our_requests(
    live_server, city, posted, output_format
):
    # given: the request, dispatched by the hotline to the bureau
    order = WorkOrder.objects.get(number=posted)
    services.order_dispatch(actor=city.dispatcher, order_id=order.pk)
    client = GeoReport(f"{live_server.url}/open311/v2", output_format=output_format)

    # when
    services_listed = client.get_service_list()
    listed = client.get_service_requests(service_request_id=posted)
    one = client.get_service_request(posted)

    # then
    codes = _codes(services_listed)
    assert city.noise.code in codes
    first = listed[0] if isinstance(listed, list) else listed
    read = one[0] if isinstance(one, list) else one
    assert first["service_request_id"] == read["service_request_id"] == posted
    assert read["service_code"] == city.noise.code
    assert read["status"] == "open"
    assert read["agency_responsible"] == city.environment_tianhe.name
    assert PHONE not in str(read)


def test_the_posted_request_waits_in_the_dispatch_queue(city, posted):
    order = WorkOrder.objects.get(number=posted)
    assert (order.channel, order.kind, order.region_id) == ("open311", "complaint", city.liede.pk)
    assert order in selectors.dispatch_queue(city.dispatcher)


def _codes(listed):
    if isinstance(listed, dict):  # XML: {"services": {"service": [...]}}
        listed = listed["services"]["service"]
    return {service["service_code"] for service in listed}
