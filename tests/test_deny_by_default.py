"""Every URL refuses an anonymous request unless it is on the public list.

The walk covers every pattern Django resolves, with sample values for its parameters, so a
page added tomorrow is checked without anyone remembering to add a test.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from ninja.constants import NOT_SET

from onestop.identity.public import PUBLIC_API_OPERATIONS, PUBLIC_URL_NAMES

pytestmark = pytest.mark.django_db

SAMPLE_VALUES = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "uuid": "00000000-0000-0000-0000-000000000001",
    "path": "x",
}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield prefix + str(entry.pattern), name


def _concrete(route: str) -> str:
    route = re.sub(
        r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_VALUES.get(m.group(1) or "str", "x"), route
    )
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    return "/" + route.replace("\\", "")


def _pages():
    for route, name in _walk(get_resolver().url_patterns):
        path = _concrete(route)
        if path.startswith(("/api/", "/static/")):
            continue
        yield pytest.param(path, name, id=f"{name or '?'} {path}")


@pytest.mark.parametrize(("path", "name"), list(_pages()))
def test_page_refuses_anonymous_unless_public(client, path, name):
    # when
    response = client.get(path)

    # then
    if name in PUBLIC_URL_NAMES:
        assert response.status_code != 302 or "/login" not in response.get("Location", "")
    elif path.startswith("/admin/"):
        # The admin guards itself: to its sign-in page, or to its index (which does).
        assert response.status_code in (302, 404)
        if response.status_code == 302:
            assert response["Location"].startswith("/admin/")
    else:
        assert response.status_code in (302, 404, 405), response.status_code
        if response.status_code == 302:
            assert "login" in response["Location"]


def _api_operations():
    from config.api import api

    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    full = "/api/v1/" + "/".join(
                        part for part in (prefix.strip("/"), path.lstrip("/")) if part
                    )
                    # An operation declares its authentication or inherits its router's.
                    declared = bool(operation.auth_callbacks) or (
                        operation.auth_param is NOT_SET and router.auth not in (None, NOT_SET)
                    )
                    yield pytest.param(method, full, declared, id=f"{method} {full}")


@pytest.mark.parametrize(("method", "path", "declared"), list(_api_operations()))
def test_api_operation_refuses_anonymous_unless_public(client, method, path, declared):
    # given
    concrete = re.sub(r"\{(\w+)\}", "1", path)

    # when
    response = client.generic(method, concrete, data="{}", content_type="application/json")

    # then
    if (method, path) in PUBLIC_API_OPERATIONS:
        assert response.status_code != 401
    else:
        assert declared, f"{method} {path} declares no authentication"
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
