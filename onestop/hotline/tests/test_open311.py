"""Open311 GeoReport v2, checked against the spec's text: both formats, the POST with a key
and attributes, GET filters and limits, and errors in the spec's own form."""

from datetime import timedelta
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.core.management import call_command
from django.utils import timezone

from onestop.hotline import services
from onestop.hotline.models import Open311Key, WorkOrder

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"


def _xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own answer, in a test


def _text(root: ET.Element, path: str) -> str:
    found = root.find(path)
    assert found is not None and found.text is not None
    return found.text


@pytest.fixture
def key(city):
    return services.open311_key_create(actor=None, name="partner")[1]


def _post(client, key, city, **overrides):
    data = {
        "api_key": key,
        "service_code": city.noise.code,
        "lat": "23.121",
        "long": "113.331",
        "attribute[region]": city.liede.code,
        "attribute[kind]": "complaint",
        "attribute[when][]": ["evening", "night"],
        "description": "工地夜间施工噪音",
        "phone": "13800138000",
    }
    data.update(overrides)
    return client.post(f"{BASE}/requests.json", {k: v for k, v in data.items() if v is not None})


def test_discovery_and_services_in_both_formats(client, city):
    discovery = client.get(f"{BASE}/discovery.json").json()
    xml = _xml(client.get(f"{BASE}/services.xml").content)
    services_json = client.get(f"{BASE}/services.json").json()
    assert discovery["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    assert xml.tag == "services" and len(xml.findall("service")) == len(services_json) == 6
    noise = next(s for s in services_json if s["service_code"] == city.noise.code)
    assert noise["metadata"] is True and noise["type"] == "realtime"
    assert noise["group"] == "环境保护"


def test_a_service_definition_lists_its_attributes(client, city):
    definition = client.get(f"{BASE}/services/{city.noise.code}.json").json()
    codes = {a["code"]: a for a in definition["attributes"]}
    assert codes["region"]["required"] is True
    assert codes["when"]["datatype"] == "multivaluelist"
    xml = _xml(client.get(f"{BASE}/services/{city.noise.code}.xml").content)
    assert xml.find("attributes/attribute/code") is not None


def test_a_post_with_attributes_creates_an_order_for_the_console(client, city, key):
    # when
    response = _post(client, key, city)
    # then
    assert response.status_code == 201
    number = response.json()[0]["service_request_id"]
    order = WorkOrder.objects.get(number=number)
    assert order.channel == "open311" and order.kind == "complaint"
    assert order.region == city.liede
    assert "晚上、深夜" in order.text
    token = client.get(f"{BASE}/tokens/{number}.json").json()
    assert token[0]["service_request_id"] == number


def test_a_read_request_has_status_agency_and_expected_time(client, city):
    order = city.dispatched()
    row = client.get(f"{BASE}/requests/{order.number}.json").json()[0]
    assert row["status"] == "open"
    assert row["agency_responsible"] == city.environment_tianhe.name
    assert row["expected_datetime"] is not None
    assert "13800138000" not in str(row) and "陈先生" not in str(row)
    xml = _xml(client.get(f"{BASE}/requests/{order.number}.xml").content)
    assert _text(xml, "request/status") == "open"


def test_the_list_filters_by_status_and_pages(client, city):
    open_order = city.dispatched()
    closed = city.create(kind="consultation")
    services.order_consultation_answer(actor=city.agent, order_id=closed.pk, answer="已解答")
    assert [
        r["service_request_id"] for r in client.get(f"{BASE}/requests.json?status=closed").json()
    ] == [closed.number]
    assert [
        r["service_request_id"] for r in client.get(f"{BASE}/requests.json?status=open").json()
    ] == [open_order.number]
    assert len(client.get(f"{BASE}/requests.json?page_size=1&page=2").json()) == 1


def test_a_reports_text_is_not_published(client, city):
    order = city.dispatched(kind="report", text="举报某餐馆偷排污水")
    row = client.get(f"{BASE}/requests/{order.number}.json").json()[0]
    assert row["description"] == ""


@pytest.mark.parametrize(
    ("overrides", "status"),
    [
        ({"api_key": "wrong"}, 403),
        ({"service_code": ""}, 400),
        ({"lat": None, "long": None}, 400),
        ({"attribute[region]": None}, 400),
        ({"service_code": "9999999"}, 404),
        ({"phone": "12345"}, 400),
        ({"attribute[when][]": "never"}, 400),
        ({"media_url": "javascript:alert(1)"}, 400),
    ],
)
def test_bad_posts_get_the_specs_errors_and_change_nothing(client, city, key, overrides, status):
    response = _post(client, key, city, **overrides)
    assert response.status_code == status
    body = response.json()
    assert body[0]["code"] == status and body[0]["description"]
    assert not WorkOrder.objects.exists()


def test_errors_come_as_xml_on_the_xml_form(client, city):
    response = client.post(f"{BASE}/requests.xml", {"service_code": city.noise.code})
    root = _xml(response.content)
    assert response.status_code == 403
    assert root.tag == "errors" and _text(root, "error/code") == "403"


def test_a_range_over_90_days_is_refused(client, city):
    start = (timezone.now() - timedelta(days=120)).isoformat()
    end = timezone.now().isoformat()
    response = client.get(f"{BASE}/requests.json", {"start_date": start, "end_date": end})
    assert response.status_code == 400


def test_a_revoked_key_no_longer_posts(client, city, key):
    services.open311_key_revoke(actor=None, name="partner")
    assert _post(client, key, city).status_code == 403


def test_the_command_prints_a_key_once_and_keeps_its_hash(city, capsys):
    call_command("open311_key", "create", "wechat-partner")
    printed = capsys.readouterr().out.strip()
    row = Open311Key.objects.get(name="wechat-partner")
    assert printed and printed not in row.key_hash
    assert services.open311_key_check(printed) == row


def test_the_xml_is_written_as_elementtree_would_write_it():
    from onestop.hotline import open311

    rows: list[dict[str, Any]] = [
        {
            "a": "x & y <z> \"q\" 's'",
            "b": None,
            "c": "",
            "d": True,
            "e": False,
            "f": 1.5,
            "attributes": [{"code": "k", "values": [{"key": "1", "name": "一"}]}],
            "keywords": ["a", "b<"],
            "values": [],
        },
        {"a": "噪音"},
    ]
    top = ET.Element("service_requests")
    for row in rows:
        open311._xml_item(ET.SubElement(top, "request"), row)
    expected = (
        b'<?xml version="1.0" encoding="utf-8"?>'
        + ET.tostring(top, encoding="utf-8").split(b"?>", 1)[-1]
    )
    assert open311._xml("service_requests", "request", rows) == expected
    assert open311._xml("errors", "error", []) == (
        b'<?xml version="1.0" encoding="utf-8"?><errors />'
    )


def test_a_posted_media_url_is_kept_as_a_link_never_fetched(client, city, key):
    response = _post(client, key, city, media_url="https://partner.example/photos/1.jpg")
    assert response.status_code == 201
    order = WorkOrder.objects.get(number=response.json()[0]["service_request_id"])
    link = order.attachments.get()
    assert link.url == "https://partner.example/photos/1.jpg" and not link.file
    assert link.channel == "open311"
