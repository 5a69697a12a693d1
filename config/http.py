"""How a web process answers HTTP: Django's WSGI handler on a pool of threads, inside the
ASGI application that the server runs (WebSockets stay with Channels, config/asgi.py).

Django's own ASGI handler runs every synchronous view and middleware through
`sync_to_async`, one hop into a thread and back for each, and all of them on one shared
thread: a request costs several event-loop round trips, and no two requests touch the
database at the same time. Every view of the platform is synchronous, so HTTP requests go
straight to the WSGI handler on a fixed pool of threads instead (decision 0013): one hop per
request, and as many requests at once as there are threads, each with its own database
connection (from the pool on PostgreSQL).

`/healthz` is answered here, before Django: a load balancer's probe says whether the process
takes requests, and costs it next to nothing.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from typing import IO, Any

from asgiref.sync import SyncToAsync

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

HEALTH_PATH = "/healthz"
HEALTH_HEADERS = [
    (b"content-type", b"text/plain; charset=utf-8"),
    (b"content-length", b"2"),
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
]
# Request bodies up to this size stay in memory; larger ones (a catalog file) spill to disk.
BODY_IN_MEMORY = 1024 * 1024


async def answer_health(scope: Scope, send: Send) -> None:
    head = scope["method"] == "HEAD"
    await send({"type": "http.response.start", "status": 200, "headers": HEALTH_HEADERS})
    await send({"type": "http.response.body", "body": b"" if head else b"ok"})


class ClientGone(Exception):
    """The client disconnected before its request body arrived."""


async def read_body(receive: Receive, limit: int | None = None) -> IO[bytes]:
    """The request body. Past `limit` bytes reading stops: Django sees a body over its
    limit (DATA_UPLOAD_MAX_MEMORY_SIZE) and the request-limits middleware answers 413,
    without this process holding the rest."""
    body: IO[bytes] = BytesIO()
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > BODY_IN_MEMORY and isinstance(body, BytesIO):
            spilled = tempfile.SpooledTemporaryFile(max_size=0)  # noqa: SIM115 - closed later
            spilled.write(body.getvalue())
            body = spilled  # type: ignore[assignment]
        body.write(chunk)
        if not message.get("more_body", False) or (limit is not None and size > limit):
            break
    body.seek(0)
    return body


def wsgi_environ(scope: Scope, body: IO[bytes]) -> dict[str, Any]:
    """PEP 3333's environ for an ASGI HTTP scope. The path is UTF-8 bytes read as latin-1, as
    WSGI wants; Django decodes it back."""
    root = scope.get("root_path", "")
    path = scope["path"]
    if root and path.startswith(root):
        path = path[len(root) :]
    server = scope.get("server") or ("localhost", 80)
    client = scope.get("client") or ("", 0)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": root.encode().decode("latin-1"),
        "PATH_INFO": path.encode().decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1] if server[1] is not None else 80),
        "REMOTE_ADDR": client[0],
        "REMOTE_PORT": str(client[1]),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in scope.get("headers", []):
        key = name.decode("latin-1").upper().replace("-", "_")
        text = value.decode("latin-1")
        if key in {"CONTENT_TYPE", "CONTENT_LENGTH"}:
            environ[key] = text
            continue
        key = f"HTTP_{key}"
        environ[key] = f"{environ[key]},{text}" if key in environ else text
    if "CONTENT_LENGTH" not in environ:
        # A body sent in chunks has no length; Django under WSGI reads only as much as
        # CONTENT_LENGTH says, so say how much arrived (as Django's ASGI handler reads it all).
        size = body.seek(0, 2)
        body.seek(0)
        if size:
            environ["CONTENT_LENGTH"] = str(size)
    return environ


class WsgiOnThreads:
    """An ASGI application that runs a WSGI application on `threads` threads.

    A response held in memory (every page and API answer) is joined on the thread and sent
    from the event loop in one message; a streamed one (a static file, an export) is sent
    chunk by chunk from the thread. The response is closed on its thread, so Django's
    request_finished (which hands the database connection back) runs where it was opened.
    """

    def __init__(self, app: WsgiApp, *, threads: int, body_limit: int | None = None) -> None:
        self.app = app
        self.threads = threads
        self.body_limit = body_limit
        self._executor: ThreadPoolExecutor | None = None

    def _pool(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="http")
        return self._executor

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            body = await read_body(receive, self.body_limit)
        except ClientGone:
            return
        loop = asyncio.get_running_loop()
        environ = wsgi_environ(scope, body)
        try:
            answer = await loop.run_in_executor(self._pool(), self._respond, environ, loop, send)
        finally:
            body.close()
        if answer is not None:
            status, headers, content = answer
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": content})

    def _respond(
        self, environ: dict[str, Any], loop: asyncio.AbstractEventLoop, send: Send
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
        _adopt_loop(loop)
        started: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
            started[:] = [status, headers]
            return lambda data: None  # the legacy write(); Django never calls it

        iterable = self.app(environ, start_response)
        try:
            if not getattr(iterable, "streaming", False):
                content = b"".join(iterable)
                return _status(started[0]), _headers(started[1]), content

            def send_now(message: Message) -> None:
                asyncio.run_coroutine_threadsafe(_forward(send, message), loop).result()

            send_now(
                {
                    "type": "http.response.start",
                    "status": _status(started[0]),
                    "headers": _headers(started[1]),
                }
            )
            for chunk in iterable:
                if chunk:
                    send_now({"type": "http.response.body", "body": chunk, "more_body": True})
            send_now({"type": "http.response.body", "body": b""})
            return None
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None


async def _forward(send: Send, message: Message) -> None:
    await send(message)


def _adopt_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Let `async_to_sync` on this thread run its coroutine on the server's event loop (as
    it does from a thread of Django's own ASGI handler) rather than on a new loop of its
    own: one hop instead of a loop per call, and the in-memory channel layer, whose queues
    belong to that loop, keeps working."""
    SyncToAsync.threadlocal.main_event_loop = loop
    SyncToAsync.threadlocal.main_event_loop_pid = os.getpid()


def _status(line: str) -> int:
    return int(line.split(" ", 1)[0])


def _headers(headers: list[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]


class Platform:
    """The web process: `/healthz` at once, other HTTP on `http`, WebSockets on `websocket`
    (Channels), the lifespan (warming at start) on `lifespan`."""

    def __init__(
        self,
        *,
        http: WsgiOnThreads,
        websocket: Callable[[Scope, Receive, Send], Awaitable[None]],
        lifespan: Callable[[Scope, Receive, Send], Awaitable[None]],
    ) -> None:
        self.http = http
        self.websocket = websocket
        self.lifespan = lifespan

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            if scope["path"] == HEALTH_PATH and scope["method"] in ("GET", "HEAD"):
                await answer_health(scope, send)
                return
            await self.http(scope, receive, send)
        elif kind == "websocket":
            await self.websocket(scope, receive, send)
        elif kind == "lifespan":
            await self.lifespan(scope, receive, send)
        else:
            raise ValueError(f"unknown ASGI scope type {kind!r}")
