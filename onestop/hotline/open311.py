"""Open311 GeoReport v2, under /open311/v2/, in its XML and JSON forms side by side (the
format is the path's extension, as the spec's clients expect).

Our third-level classes are its services; a work order is a service request. `status` is
open or closed, with our detailed state in `status_notes`; `agency_responsible` is the
handling department; `expected_datetime` the due time. Posting needs an API key (`onestop
open311-key create NAME`). Errors come as the spec's list of `error{code, description}`.
The caller's identity is never in an answer, and a report's (举报) text is not published.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any
from xml.etree import ElementTree as ET

from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from onestop.core.errors import DomainError
from onestop.hotline import selectors, services
from onestop.hotline.enums import OPEN_STATES, Channel, OrderKind, OrderState, Urgency
from onestop.hotline.models import Category, WorkOrder

FORMATS = ("xml", "json")
DEFAULT_WINDOW = timedelta(days=90)
MAX_ROWS = 1000
ATTRIBUTES: list[dict[str, Any]] = [
    {
        "code": "region",
        "datatype": "string",
        "required": True,
        "description": "行政区划代码：区、街道或社区 (district, street or community code)",
        "order": 1,
        "values": [],
    },
    {
        "code": "kind",
        "datatype": "singlevaluelist",
        "required": False,
        "description": "诉求类型 (kind of request; complaint if not given)",
        "order": 2,
        "values": [{"key": value, "name": str(label)} for value, label in OrderKind.choices],
    },
    {
        "code": "urgency",
        "datatype": "singlevaluelist",
        "required": False,
        "description": "紧急程度 (urgency)",
        "order": 3,
        "values": [{"key": value, "name": str(label)} for value, label in Urgency.choices],
    },
    {
        "code": "when",
        "datatype": "multivaluelist",
        "required": False,
        "description": "发生时段 (when it happens)",
        "order": 4,
        "values": [
            {"key": "morning", "name": "上午"},
            {"key": "afternoon", "name": "下午"},
            {"key": "evening", "name": "晚上"},
            {"key": "night", "name": "深夜"},
        ],
    },
]
WHEN = {value["key"]: value["name"] for value in ATTRIBUTES[3]["values"]}


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _text(value: str) -> str:
    # As ElementTree escapes an element's text.
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


SINGULAR = {"attributes": "attribute", "values": "value", "keywords": "keyword"}


def _xml_fields(out: list[str], row: Mapping[str, Any]) -> None:
    """One row's elements, written straight into `out`: what ElementTree would write for
    them (empty elements as `<name />`), without building a tree first."""
    for key, value in row.items():
        if isinstance(value, list) and not value:
            out.append(f"<{key} />")
        elif isinstance(value, list):
            out.append(f"<{key}>")
            name = SINGULAR.get(key, "item")
            for entry in value:
                if isinstance(entry, Mapping):
                    out.append(f"<{name}>")
                    _xml_fields(out, entry)
                    out.append(f"</{name}>")
                else:
                    _xml_value(out, name, entry)
            out.append(f"</{key}>")
        else:
            _xml_value(out, key, value)


def _xml_value(out: list[str], key: str, value: Any) -> None:
    if isinstance(value, bool):
        value = "true" if value else "false"
    text = "" if value is None else str(value)
    out.append(f"<{key}>{_text(text)}</{key}>" if text else f"<{key} />")


def _xml(root: str, item: str, rows: Iterable[Mapping[str, Any]]) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?>', f"<{root}>"]
    empty = True
    for row in rows:
        empty = False
        out.append(f"<{item}>")
        _xml_fields(out, row)
        out.append(f"</{item}>")
    if empty:
        out[1] = f"<{root} />"
    else:
        out.append(f"</{root}>")
    return "".join(out).encode()


def _xml_item(element: ET.Element, row: Mapping[str, Any]) -> None:
    for key, value in row.items():
        child = ET.SubElement(element, key)
        if isinstance(value, list):
            for entry in value:
                sub = ET.SubElement(child, SINGULAR.get(key, "item"))
                if isinstance(entry, Mapping):
                    _xml_item(sub, entry)
                else:
                    sub.text = str(entry)
        elif isinstance(value, bool):
            child.text = "true" if value else "false"
        elif value is not None:
            child.text = str(value)


def _answer(
    fmt: str, root: str, item: str, rows: list[dict[str, Any]], status: int = 200
) -> HttpResponse:
    if fmt == "json":
        return HttpResponse(
            json.dumps(rows, ensure_ascii=False, default=str, separators=(",", ":")),
            content_type="application/json; charset=utf-8",
            status=status,
        )
    return HttpResponse(
        _xml(root, item, rows), content_type="text/xml; charset=utf-8", status=status
    )


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    rows = [{"code": status, "description": description}]
    return _answer(fmt if fmt in FORMATS else "xml", "errors", "error", rows, status=status)


def _guard(view: Any) -> Any:
    def run(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        fmt = kwargs["fmt"]
        if fmt not in FORMATS:
            return _error("xml", 404, "format is xml or json")
        try:
            return view(request, **kwargs)
        except Open311Error as exc:
            return _error(fmt, exc.status, exc.description)
        except DomainError as exc:
            status = 404 if exc.status == 404 else (403 if exc.status == 403 else 400)
            return _error(fmt, status, f"{exc.code}: {exc.message}")

    run.__name__ = view.__name__
    run.__doc__ = view.__doc__
    return run


@require_GET
@_guard
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri("/open311/v2/")
    row: dict[str, Any] = {
        "changeset": "2026-12-02T00:00:00+08:00",
        "contact": "广州12345政务服务便民热线 · 12345",
        "key_service": "onestop open311-key create NAME (ask the 12345 operator)",
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": "2026-12-02T00:00:00+08:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    if fmt == "json":
        return HttpResponse(json.dumps(row, ensure_ascii=False), content_type="application/json")
    top = ET.Element("discovery")
    for key in ("changeset", "contact", "key_service"):
        ET.SubElement(top, key).text = row[key]
    endpoints = ET.SubElement(top, "endpoints")
    for endpoint in row["endpoints"]:
        element = ET.SubElement(endpoints, "endpoint")
        for key in ("specification", "url", "changeset", "type"):
            ET.SubElement(element, key).text = endpoint[key]
        formats = ET.SubElement(element, "formats")
        for name in endpoint["formats"]:
            ET.SubElement(formats, "format").text = name
    body = (
        b'<?xml version="1.0" encoding="utf-8"?>'
        + ET.tostring(top, encoding="utf-8").split(b"?>", 1)[-1]
    )
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def _service(category: Category) -> dict[str, Any]:
    path = selectors.category_path(category)
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": " › ".join(c.name for c in path),
        "metadata": True,
        "type": "realtime",
        "keywords": ",".join(c.name for c in path),
        "group": path[0].name,
    }


@require_GET
@_guard
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = [_service(c) for c in selectors.category_leaves()]
    return _answer(fmt, "services", "service", rows)


@require_GET
@_guard
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    try:
        category = selectors.category_get(code)
    except DomainError:
        raise Open311Error(404, f"service_code {code[:12]} not found") from None
    attributes = [
        {"variable": True, "datatype_description": "", **attribute} for attribute in ATTRIBUTES
    ]
    row = {"service_code": category.code, "attributes": attributes}
    if fmt == "json":
        return HttpResponse(json.dumps(row, ensure_ascii=False), content_type="application/json")
    top = ET.Element("service_definition")
    _xml_item(top, row)
    body = (
        b'<?xml version="1.0" encoding="utf-8"?>'
        + ET.tostring(top, encoding="utf-8").split(b"?>", 1)[-1]
    )
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


# The last time an order moved that the spec's client cares about, worked out by the
# database (each date-time read costs more than the query).
UPDATED = Coalesce("closed_at", "replied_at", "dispatched_at", "created_at")
# What a service request is made of, read as plain values: no model instances, no lazy
# relations, one query for a page of up to 1,000 rows.
REQUEST_FIELDS = (
    "number",
    "state",
    "kind",
    "text",
    "department__name",
    "category__name",
    "category__code",
    "created_at",
    "updated",
    "due_at",
    "address",
    "region_code",
    "latitude",
    "longitude",
)


def request_rows(orders: QuerySet[WorkOrder]) -> list[dict[str, Any]]:
    """The service requests of `orders`, as the spec names their fields."""
    tz = timezone.get_current_timezone()
    labels = {value: str(label) for value, label in OrderState.choices}

    def w3c(value: datetime | None) -> str | None:
        return value.astimezone(tz).isoformat(timespec="seconds") if value else None

    rows = []
    for (
        number,
        state,
        kind,
        text,
        agency,
        service_name,
        service_code,
        created,
        updated,
        due,
        address,
        region_code,
        lat,
        lon,
    ) in orders.annotate(updated=UPDATED).values_list(*REQUEST_FIELDS):
        rows.append(
            {
                "service_request_id": number,
                "status": "open" if state in OPEN_STATES else "closed",
                "status_notes": labels.get(state, state),
                "service_name": service_name,
                "service_code": service_code,
                # A report's (举报) text is for the department, not for publication.
                "description": "" if kind == OrderKind.REPORT else text,
                "agency_responsible": agency or "",
                "service_notice": "",
                "requested_datetime": w3c(created),
                "updated_datetime": w3c(updated),
                "expected_datetime": w3c(due),
                "address": address,
                "address_id": region_code,
                "zipcode": "",
                "lat": float(lat) if lat is not None else None,
                "long": float(lon) if lon is not None else None,
                "media_url": "",
            }
        )
    return rows


def _date(value: str, name: str) -> datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise Open311Error(400, f"{name} is not a W3C date-time")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _positive(value: str, name: str, default: int) -> int:
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise Open311Error(400, f"{name} is a positive whole number")
    return int(value)


def request_query(params: Mapping[str, str], now: datetime | None = None) -> QuerySet[WorkOrder]:
    """GET requests: by ids, or by service codes, dates (90 days by default, at most 90)
    and status, newest first, a page at a time (1000 rows at most)."""
    now = now or timezone.now()
    rows = WorkOrder.objects.order_by("-created_at", "-id")
    ids = [i.strip() for i in params.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        return rows.filter(number__in=ids[:MAX_ROWS])
    end = _date(params.get("end_date", ""), "end_date")
    start = _date(params.get("start_date", ""), "start_date")
    end = end or (start + DEFAULT_WINDOW if start else now)
    start = start or end - DEFAULT_WINDOW
    if start > end:
        raise Open311Error(400, "start_date is after end_date")
    if end - start > DEFAULT_WINDOW:
        raise Open311Error(400, "the date range is at most 90 days")
    rows = rows.filter(created_at__gte=start, created_at__lte=end)
    codes = [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]
    if codes:
        rows = rows.filter(category__code__in=codes)
    status = params.get("status", "")
    if status:
        wanted = {s.strip() for s in status.split(",")}
        if not wanted <= {"open", "closed"}:
            raise Open311Error(400, "status is open or closed")
        if wanted == {"open"}:
            rows = rows.filter(state__in=OPEN_STATES)
        elif wanted == {"closed"}:
            rows = rows.filter(state=OrderState.CLOSED)
    page_size = min(_positive(params.get("page_size", ""), "page_size", MAX_ROWS), MAX_ROWS)
    page = _positive(params.get("page", ""), "page", 1)
    return rows[(page - 1) * page_size : page * page_size]


def _attribute(post: Any, code: str) -> list[str]:
    return [
        v for v in (post.getlist(f"attribute[{code}]") + post.getlist(f"attribute[{code}][]")) if v
    ]


def _create(request: HttpRequest) -> WorkOrder:
    post = request.POST
    if services.open311_key_check(post.get("api_key", "")) is None:
        raise Open311Error(403, "api_key is missing or not valid")
    code = post.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, "service_code is required")
    lat, lon = post.get("lat", ""), post.get("long", "")
    address = post.get("address_string", "").strip()
    address_id = post.get("address_id", "").strip()
    if not ((lat and lon) or address or address_id):
        raise Open311Error(
            400, "a location is required: lat and long, address_string or address_id"
        )
    try:
        selectors.category_get(code)
    except DomainError:
        raise Open311Error(404, f"service_code {code[:12]} not found") from None
    region = (_attribute(post, "region") or [address_id])[0]
    if not region:
        raise Open311Error(400, "attribute[region] is required")
    when = [WHEN[v] for v in _attribute(post, "when") if v in WHEN]
    unknown = [v for v in _attribute(post, "when") if v not in WHEN]
    if unknown:
        raise Open311Error(400, f"attribute[when] has no value {unknown[0][:20]}")
    text = post.get("description", "")
    if when:
        text = f"{text}\n（发生时段：{'、'.join(when)}）" if text.strip() else text
    media = post.get("media_url", "").strip()
    if media:
        try:
            media = services.link_clean(media)
        except DomainError:
            raise Open311Error(400, "media_url is not an http(s) address") from None
    phone = post.get("phone", "").strip()
    name = " ".join(p for p in (post.get("last_name", ""), post.get("first_name", "")) if p)
    return services.order_create(
        actor=None,
        channel=Channel.OPEN311,
        request=services.OrderInput(
            kind=(_attribute(post, "kind") or [OrderKind.COMPLAINT])[0],
            category_code=code,
            region_code=region,
            text=text,
            address=address,
            latitude=lat or None,
            longitude=lon or None,
            contact_name=name,
            contact_phone=phone,
            is_anonymous=not phone,
            urgency=(_attribute(post, "urgency") or [Urgency.NORMAL])[0],
        ),
        idempotency_key=(
            f"open311:{post['idempotency_key']}" if post.get("idempotency_key") else ""
        ),
        # The partner's media address is kept as a link, never fetched.
        links=[media] if media else None,
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
@_guard
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        order = _create(request)
        row = {
            "service_request_id": order.number,
            "token": order.number,
            "service_notice": "",
            "account_id": "",
        }
        return _answer(fmt, "service_requests", "request", [row], status=201)
    return _answer(fmt, "service_requests", "request", request_rows(request_query(request.GET)))


@require_GET
@_guard
def request_detail(request: HttpRequest, number: str, fmt: str) -> HttpResponse:
    rows = request_rows(WorkOrder.objects.filter(number=number[:20]).order_by())
    if not rows:
        raise Open311Error(404, f"service_request_id {number[:20]} not found")
    return _answer(fmt, "service_requests", "request", rows)


@require_GET
@_guard
def token(request: HttpRequest, value: str, fmt: str) -> HttpResponse:
    order = selectors.order_by_number(value)
    if order is None:
        raise Open311Error(404, f"token {value[:20]} not found")
    row = {"service_request_id": order.number, "token": value}
    return _answer(fmt, "service_requests", "request", [row])
