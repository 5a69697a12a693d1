"""The web process's HTTP path (config/http.py): `/healthz` before Django, and a WSGI
application on threads behind ASGI, carrying what a request and its answer hold."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from asgiref.sync import async_to_sync

from config.http import BODY_IN_MEMORY, Platform, WsgiOnThreads


def _scope(path: str = "/", **overrides: Any) -> dict[str, Any]:
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("203.0.113.9", 51000),
        "server": ("127.0.0.1", 8000),
    }
    scope.update(overrides)
    return scope


def _call(app: Any, scope: dict[str, Any], body: bytes = b"", chunk: int = 0) -> dict[str, Any]:
    """Run one request through an ASGI application; its status, headers and body."""
    parts = [body[i : i + chunk] for i in range(0, len(body), chunk)] if chunk else [body]
    sent: list[dict[str, Any]] = []

    async def run() -> None:
        queue = list(parts)

        async def receive() -> dict[str, Any]:
            piece = queue.pop(0)
            return {"type": "http.request", "body": piece, "more_body": bool(queue)}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await app(scope, receive, send)

    asyncio.run(run())
    start = next(m for m in sent if m["type"] == "http.response.start")
    bodies = [m for m in sent if m["type"] == "http.response.body"]
    return {
        "status": start["status"],
        "headers": dict(start["headers"]),
        "body": b"".join(m.get("body", b"") for m in bodies),
        "messages": len(bodies),
        "last_more": bodies[-1].get("more_body", False),
    }


def _echo(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """A WSGI application that answers with what it was given."""
    body = environ["wsgi.input"].read()
    lines = [
        environ["REQUEST_METHOD"],
        environ["PATH_INFO"].encode("latin-1").decode(),
        environ["QUERY_STRING"],
        environ["REMOTE_ADDR"],
        environ.get("CONTENT_TYPE", ""),
        environ.get("HTTP_X_TWICE", ""),
        str(len(body)),
        threading.current_thread().name,
    ]
    start_response("201 Created", [("Content-Type", "text/plain"), ("X-Echo", "yes")])
    return ["\n".join(lines).encode()]


class _Streamed:
    streaming = True

    def __init__(self) -> None:
        self.closed_on = ""

    def __iter__(self):
        yield b"one,"
        yield b"two"

    def close(self) -> None:
        self.closed_on = threading.current_thread().name


def test_a_request_reaches_the_wsgi_application_on_a_pool_thread_with_all_it_carries():
    # given
    app = WsgiOnThreads(_echo, threads=2)
    scope = _scope(
        "/服务/a b",
        method="POST",
        query_string=b"q=%E5%8A%9E&x=1",
        headers=[
            (b"host", b"example.test"),
            (b"content-type", b"application/json"),
            (b"x-twice", b"a"),
            (b"x-twice", b"b"),
        ],
    )

    # when
    answer = _call(app, scope, body=b'{"n": 1}' * 1000, chunk=999)

    # then
    method, path, query, client, content_type, twice, size, thread = (
        answer["body"].decode().split("\n")
    )
    assert answer["status"] == 201
    assert answer["headers"][b"x-echo"] == b"yes"
    assert (method, path, query) == ("POST", "/服务/a b", "q=%E5%8A%9E&x=1")
    assert (client, content_type, twice, size) == ("203.0.113.9", "application/json", "a,b", "8000")
    assert thread.startswith("http")
    app.shutdown()


def test_a_large_body_arrives_whole():
    # given
    app = WsgiOnThreads(_echo, threads=1)
    body = b"x" * (BODY_IN_MEMORY + 10)

    # when
    answer = _call(app, _scope(method="PUT"), body=body, chunk=65536)

    # then
    assert answer["body"].decode().split("\n")[6] == str(len(body))
    app.shutdown()


def test_a_streamed_answer_is_sent_chunk_by_chunk_and_closed_on_its_thread():
    # given
    streamed = _Streamed()

    def app(environ: dict[str, Any], start_response: Any) -> _Streamed:
        start_response("200 OK", [("Content-Type", "text/csv")])
        return streamed

    threads = WsgiOnThreads(app, threads=1)

    # when
    answer = _call(threads, _scope("/export.csv"))

    # then
    assert answer["body"] == b"one,two"
    assert answer["messages"] == 3 and answer["last_more"] is False
    assert streamed.closed_on.startswith("http")
    threads.shutdown()


def test_async_to_sync_on_a_pool_thread_runs_on_the_servers_event_loop():
    # given: a view that hops into async code, as the hall's live events do
    seen: dict[str, Any] = {}

    async def where() -> None:
        seen["loop"] = asyncio.get_running_loop()

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        async_to_sync(where)()
        start_response("200 OK", [])
        return [b""]

    threads = WsgiOnThreads(app, threads=1)
    served_on: dict[str, Any] = {}

    async def run() -> None:
        served_on["loop"] = asyncio.get_running_loop()
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await threads(_scope(), receive, send)

    # when
    asyncio.run(run())

    # then
    assert seen["loop"] is served_on["loop"]
    threads.shutdown()


def test_healthz_is_answered_before_the_application():
    # given: an application that would fail any request
    def broken(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        raise AssertionError("reached the application")

    platform = Platform(
        http=WsgiOnThreads(broken, threads=1),
        websocket=None,
        lifespan=None,  # type: ignore[arg-type]
    )

    # when
    answer = _call(platform, _scope("/healthz"))
    head = _call(platform, _scope("/healthz", method="HEAD"))

    # then
    assert (answer["status"], answer["body"]) == (200, b"ok")
    assert answer["headers"][b"content-type"].startswith(b"text/plain")
    assert (head["status"], head["body"]) == (200, b"")


def test_reading_stops_past_the_body_limit():
    # given
    app = WsgiOnThreads(_echo, threads=1, body_limit=100_000)

    # when
    answer = _call(app, _scope(method="POST"), body=b"x" * 1_000_000, chunk=65536)

    # then: what the application sees is over the limit, and no more than a chunk past it
    received = int(answer["body"].decode().split("\n")[6])
    assert 100_000 < received <= 100_000 + 65536
    app.shutdown()


@pytest.mark.django_db(transaction=True)
def test_a_body_over_the_limit_is_refused_by_the_platform():
    # given
    from config.asgi import application

    scope = _scope(
        "/api/v1/catalog/counts",
        method="POST",
        headers=[(b"host", b"127.0.0.1"), (b"content-type", b"application/json")],
    )

    # when
    answer = _call(application, scope, body=b"x" * 5_000_000, chunk=65536)

    # then
    assert answer["status"] == 413
    assert answer["headers"][b"content-type"] == b"application/problem+json"


@pytest.mark.django_db(transaction=True)
def test_the_platform_serves_django_through_the_threads():
    # given
    from config.asgi import application

    # when
    counts = _call(application, _scope("/api/v1/catalog/counts"))
    missing = _call(application, _scope("/no/such/page"))

    # then
    assert counts["status"] == 200
    assert b'"city_levels_total"' in counts["body"]
    assert counts["headers"][b"content-type"].startswith(b"application/json")
    assert missing["status"] == 404
    assert b"content-security-policy" in missing["headers"]
