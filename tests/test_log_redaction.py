"""Tokens in URLs never reach the log: the handler's filter blanks them in every path."""

import logging

import pytest

from onestop.core.log_redaction import REDACTED, RedactTokensFilter
from onestop.hall.tests.factories import hall

pytestmark = pytest.mark.django_db


def _console_handler() -> logging.Handler:
    [handler] = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactTokensFilter) for f in h.filters)
    ]
    return handler


def _written(record: logging.LogRecord) -> str:
    handler = _console_handler()
    assert handler.filter(record)
    return handler.format(record)


@pytest.fixture
def token():
    return hall().issue().public_token


@pytest.mark.parametrize(
    "path",
    [
        "/hall/t/{token}/withdraw/",
        "/api/v1/hall/status/{token}/withdraw",
    ],
)
def test_a_4xx_on_a_page_or_api_with_a_valid_token_is_logged_without_it(
    client, caplog, token, path
):
    # given
    url = path.format(token=token)

    # when: a GET where only POST is allowed (405, logged by django.request)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(url)

    # then
    assert response.status_code == 405
    [record] = [r for r in caplog.records if r.name == "django.request"]
    line = _written(record)
    assert token not in line
    assert path.format(token=REDACTED) in line


def test_server_access_lines_and_websocket_paths_are_redacted(token):
    # given: a line as uvicorn's access logger writes it, and a WebSocket connection line
    access = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/hall/t/{token}/?notify=set", "1.1", 200),
        None,
    )
    socket = logging.LogRecord(
        "uvicorn.error",
        logging.INFO,
        __file__,
        1,
        f'127.0.0.1:5000 - "WebSocket /ws/hall/t/{token}/" [accepted]',
        (),
        None,
    )

    # when
    lines = [_written(access), _written(socket)]

    # then
    assert all(token not in line for line in lines)
    assert f"/hall/t/{REDACTED}/?notify=set" in lines[0]
    assert f"/ws/hall/t/{REDACTED}/" in lines[1]


def test_other_paths_are_left_alone():
    # given
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/services/123/",), None
    )

    # then
    assert "/services/123/" in _written(record)
