"""No two API schemas share a name. django-ninja names an OpenAPI component after its class,
so two apps' `QueueOut` overwrite each other in the document and every operation of one of
them publishes the other's shape, silently. Schemas are therefore named uniquely across the
API (`HallQueueOut`, `RatingOut`), and this keeps them so."""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel


def _our_models() -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    stack: list[type[BaseModel]] = [BaseModel]
    while stack:
        for model in stack.pop().__subclasses__():
            stack.append(model)
            if model.__module__.startswith("onestop."):
                found.append(model)
    return found


def test_no_two_api_schemas_share_a_name(client):
    # given the API built, with every app's schemas imported
    document = client.get("/api/v1/openapi.json").json()

    # when the schemas are grouped by the name their component would take
    by_name: dict[str, set[str]] = defaultdict(set)
    for model in _our_models():
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")

    # then no name stands for two classes
    assert {name: sorted(c) for name, c in by_name.items() if len(c) > 1} == {}
    assert "HallQueueOut" in document["components"]["schemas"]


def test_each_hall_operation_publishes_its_own_schema(client):
    document = client.get("/api/v1/openapi.json").json()
    queues = document["paths"]["/api/v1/hall/centres/{code}/queues"]["get"]["responses"]["200"]
    windows = document["paths"]["/api/v1/hall/centres/{code}/windows"]["get"]["responses"]["200"]
    assert queues["content"]["application/json"]["schema"]["items"]["$ref"].endswith(
        "/HallQueueOut"
    )
    assert windows["content"]["application/json"]["schema"]["items"]["$ref"].endswith(
        "/HallWindowOut"
    )
    properties = document["components"]["schemas"]["HallWindowOut"]["properties"]
    assert {"number", "kinds", "clerk_id"} <= set(properties)
