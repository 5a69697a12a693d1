"""What every operation of /api/v1/ shares: how a request body is read, and which error
answers the OpenAPI document declares.

Bodies. A JSON body must say so (`Content-Type: application/json`, or a `+json` type),
else 415; over `DATA_UPLOAD_MAX_MEMORY_SIZE` it is 413 (the request-limits middleware
answers before anything reads it); unparseable JSON is 400. The body is then validated
strictly *as JSON*: an integer field takes a JSON integer, not `true` nor `"5"`, and a text
field takes a string, while dates and enum values, which JSON can only spell as strings, are
read from strings as usual (the body's JSON types are checked against the operation's own
schema before pydantic converts anything). Query and path parameters arrive as text and
keep their ordinary conversion.

Errors. Every error is application/problem+json (`Problem`). Each operation declares the
ones it can give, worked out from its shape: 401 and 403 when it authenticates, 404 when
its path names something, 400/413/415 when it takes a body, 409 when it writes, 422 when
it takes any input. Anything else an operation can answer (a 429 of a throttled operation,
a 404 from a query parameter) is declared on the operation itself:

    @router.post("/tickets", ..., openapi_extra=problems(429))

The API fuzzer (tests/test_api_fuzz.py) fails on any status an operation does not declare.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError, ValidationError
from ninja.params.models import BodyModel
from ninja.parser import Parser

from onestop.core.openapi import PROBLEMS_KEY

PROBLEM_MEDIA_TYPE = "application/problem+json"

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "An error (RFC 9457). Clients act on `code`, never on the text; some "
    "codes add fields of their own (`errors` for validation_error, `retry_after` "
    "for throttled requests).",
    "type": "object",
    "properties": {
        "type": {"type": "string", "description": "a URI naming the problem"},
        "title": {"type": "string", "description": "what went wrong, for people"},
        "status": {"type": "integer", "description": "the HTTP status"},
        "code": {"type": "string", "description": "the stable error code"},
        "detail": {"type": "string"},
    },
    "required": ["type", "title", "status", "code"],
    "additionalProperties": True,
}

DESCRIPTIONS = {
    400: "The body is not well-formed JSON.",
    401: "Sign-in required, or the bearer token is invalid, revoked or expired.",
    403: "Not allowed for this account (or the CSRF check of a signed-in session failed).",
    404: "No such object, or not one this account may see.",
    409: "The object's state does not allow this now.",
    413: "The request body is too large.",
    415: "The body must be sent as application/json.",
    422: "The request is not valid: see `code` (and `errors` for field checks).",
    429: "Too many requests: wait for `Retry-After` seconds.",
}

UNSAFE_METHODS = frozenset({"post", "put", "patch", "delete"})


class UnsupportedMediaType(HttpError):
    def __init__(self) -> None:
        super().__init__(415, "The body must be sent as application/json.")


def is_json_media_type(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


class JsonParser(Parser):
    """ninja's parser, refusing a body that does not say it is JSON."""

    def parse_body(self, request: HttpRequest) -> Any:
        if not is_json_media_type(request.content_type or ""):
            raise UnsupportedMediaType()
        return json.loads(request.body)


_JSON_TYPES: dict[str, Any] = {
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def json_type_errors(
    value: Any, schema: dict[str, Any], defs: dict[str, Any], loc: list[Any]
) -> list[dict[str, Any]]:
    """Where `value` (parsed JSON) has a JSON type its schema does not allow: `true` for an
    integer, `"5"` for an integer, `5` for a string. Formats and ranges are left to
    pydantic, which reads dates and enum values from their strings."""
    if "$ref" in schema:
        schema = {**defs.get(schema["$ref"].rsplit("/", 1)[-1], {}), **schema}
        schema.pop("$ref")
    for key in ("anyOf", "oneOf"):
        if key in schema:
            if any(not json_type_errors(value, sub, defs, loc) for sub in schema[key]):
                break
            return [_type_error(loc, "one of the allowed types")]
    for sub in schema.get("allOf", []):
        errors = json_type_errors(value, sub, defs, loc)
        if errors:
            return errors
    declared = schema.get("type")
    if declared is None:
        return []
    types = declared if isinstance(declared, list) else [declared]
    if not any(_JSON_TYPES.get(name, lambda v: True)(value) for name in types):
        return [_type_error(loc, " or ".join(types))]
    return _child_errors(value, schema, defs, loc)


def _child_errors(
    value: Any, schema: dict[str, Any], defs: dict[str, Any], loc: list[Any]
) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            sub = properties.get(key, extra if isinstance(extra, dict) else None)
            if sub is not None:
                errors += json_type_errors(item, sub, defs, [*loc, key])
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            errors += json_type_errors(item, schema["items"], defs, [*loc, index])
    return errors


def _type_error(loc: list[Any], expected: str) -> dict[str, Any]:
    return {"type": "json_type", "loc": loc, "msg": f"Input should be JSON {expected}"}


_schemas: dict[type, dict[str, Any]] = {}


def _strict_resolve(cls: Any, request: HttpRequest, api: Any, path_params: Any) -> Any:
    data = cls.get_request_data(request, api, path_params)
    if data is None:
        return cls()
    data = cls._map_data_paths(data)
    schema = _schemas.get(cls)
    if schema is None:
        schema = _schemas[cls] = cls.model_json_schema(mode="validation")
    errors = json_type_errors(data, schema, schema.get("$defs", {}), ["body"])
    if errors:
        raise ValidationError(errors)
    return cls.model_validate(data, context={"request": request})


def install_strict_json_bodies() -> None:
    """Make ninja check every JSON body's types against its schema before validating it."""
    BodyModel.resolve = classmethod(_strict_resolve)  # type: ignore[method-assign,assignment]


def _declared(operation: dict[str, Any], method: str) -> set[int]:
    statuses = {int(status) for status in operation.pop(PROBLEMS_KEY, [])}
    has_body = "requestBody" in operation
    parameters = operation.get("parameters", [])
    if operation.get("security"):
        statuses |= {401, 403}
    if any(parameter.get("in") == "path" for parameter in parameters):
        statuses.add(404)
    if has_body:
        statuses |= {400, 413, 415}
    if method in UNSAFE_METHODS:
        statuses.add(409)
    if has_body or parameters:
        statuses.add(422)
    return statuses


def declare_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the shared Problem schema and each operation's error answers to the document."""
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    reference = {"$ref": "#/components/schemas/Problem"}
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status in sorted(_declared(operation, method)):
                responses.setdefault(
                    status,
                    {
                        "description": DESCRIPTIONS.get(status, "An error."),
                        "content": {PROBLEM_MEDIA_TYPE: {"schema": reference}},
                    },
                )
    return schema
