"""A fuzzer over every operation in the OpenAPI document (schemathesis), anonymous and with
bearer tokens: no answer may be a 5xx, and every answer must be one the operation declares,
with the declared content type and body schema.

It covers whatever the document holds, so a new operation is fuzzed the day it is added.
When it fails, the report names the operation, the request (a `curl` line to replay it) and
the check that failed:

- a 5xx: fix the code (a bad value must become a DomainError, i.e. a 4xx problem+json);
- an undeclared status: if the operation can rightly answer it, declare it with
  `openapi_extra=problems(...)` (onestop/core/openapi.py) and run `make openapi`; common
  ones (401/403/404/409/413/415/422) are declared for you from the operation's shape;
- a body that does not match: fix the response schema or the code that builds the body.

`ONESTOP_FUZZ_EXAMPLES` sets the generated examples per operation and caller (default 6),
on top of schemathesis's coverage cases (boundaries and one wrong value per field).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from onestop.identity import services
from onestop.identity.tests.factories import platform_admin

EXAMPLES = int(os.environ.get("ONESTOP_FUZZ_EXAMPLES", "6"))

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


CALLERS = ["anonymous", "admin"]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # The schema's calls go through a plain WSGI handler, which closes the database
    # connection after each request as a server should; the test's transaction lives on
    # that connection (Django's test client stops this the same way).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def callers(db) -> dict[str, dict[str, str]]:
    """The headers of each kind of caller: none, and a platform admin's bearer token (the
    account that reaches the most operations past their permission checks)."""
    _, plaintext = services.api_token_issue(
        actor=platform_admin(), user=platform_admin(), name="fuzz"
    )
    return {"anonymous": {}, "admin": {"Authorization": f"Bearer {plaintext}"}}


@pytest.mark.slow
@pytest.mark.parametrize("caller", CALLERS)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_request_as_it_declares(case, caller, callers):
    # Refusing a request the schema allows is the domain's right (a resident ID's check
    # digit, a phone number's shape, a closed window), so that check is left out; every
    # other one holds.
    case.call_and_validate(
        headers=callers[caller], excluded_checks=[schemathesis.checks.positive_data_acceptance]
    )
