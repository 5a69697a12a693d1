"""A local SMS gateway that behaves like a real one, for tests and benchmarks.

It checks each request's HMAC signature (401 if wrong or stale), drops a resend with an
Idempotency-Key it has seen (200 with the same gateway id, not counted as a new SMS),
records the messages it accepted, and can be told to fail (503) for the next N requests,
to answer slowly, or to go away entirely (`stop()`: connections are then refused).

In a test::

    with running_gateway(key="k") as gateway:
        ...  # point ONESTOP_SMS_GATEWAY_URL at gateway.url
        assert len(gateway.messages) == 1

As a process (a benchmark, a demo)::

    python -m tests.support.sms_gateway --port 8025 --state var/gateway.json --key KEY

which prints `listening on <url>` once ready. `POST /_control` with {"fail_next": 3,
"fail_status": 503, "delay": 0.5, "reset": true} changes its behaviour; `GET /_state`
returns what it received. Loopback only: the control endpoints have no authentication.

The signature check is written out here again rather than imported from the application,
so that the gateway is an independent check of what the application sends.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class SmsGateway:
    def __init__(
        self,
        *,
        key: str,
        host: str = "127.0.0.1",
        port: int = 0,
        state_file: str | Path | None = None,
        max_skew_seconds: int = 300,
    ) -> None:
        self.key = key
        self.host = host
        self.port = port
        self.state_file = Path(state_file) if state_file else None
        self.max_skew_seconds = max_skew_seconds
        self._lock = threading.Condition()
        self._wake = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.messages: list[dict[str, Any]] = []
        self.requests = 0  # signed send requests, resends included
        self.duplicates = 0
        self.rejected = 0  # bad or missing signature
        self.failed = 0  # answered with the simulated failure
        self.fail_next_count = 0
        self.fail_status = 503
        self.delay_seconds = 0.0
        if self.state_file and self.state_file.exists():
            saved = json.loads(self.state_file.read_text())
            self.messages = saved["messages"]
            for name in ("requests", "duplicates", "rejected", "failed"):
                setattr(self, name, saved[name])

    # --- running ----------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/sms"

    def start(self) -> SmsGateway:
        """Start serving (again, on the same port, after `stop()`)."""
        gateway = self

        class Handler(_Handler):
            pass

        Handler.gateway = gateway
        self._wake.clear()
        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening: from now on connections are refused. State is kept."""
        self._wake.set()  # release responses being delayed
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SmsGateway:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- behaviour --------------------------------------------------------------------------
    def fail_next(self, count: int, *, status: int = 503) -> None:
        with self._lock:
            self.fail_next_count = count
            self.fail_status = status

    def delay(self, seconds: float) -> None:
        with self._lock:
            self.delay_seconds = seconds

    def reset(self) -> None:
        with self._lock:
            self.messages.clear()
            self.requests = self.duplicates = self.rejected = self.failed = 0
            self.fail_next_count = 0
            self.delay_seconds = 0.0
            self._save()

    def wait_for_requests(self, count: int, timeout: float = 10.0) -> bool:
        """Block until `count` signed send requests have arrived (resends included)."""
        with self._lock:
            return self._lock.wait_for(lambda: self.requests >= count, timeout=timeout)

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {
                "messages": list(self.messages),
                "requests": self.requests,
                "duplicates": self.duplicates,
                "rejected": self.rejected,
                "failed": self.failed,
            }

    def _save(self) -> None:
        if self.state_file is None:
            return
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.state(), ensure_ascii=False))
        tmp.replace(self.state_file)

    # --- the protocol -----------------------------------------------------------------------
    def _signature_ok(self, headers: Any, body: bytes) -> bool:
        timestamp = headers.get("X-Onestop-Timestamp", "")
        signature = headers.get("X-Onestop-Signature", "")
        if not timestamp.isdigit() or not signature:
            return False
        if abs(time.time() - int(timestamp)) > self.max_skew_seconds:
            return False
        expected = hmac.new(
            self.key.encode(), timestamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(expected, signature)

    def handle_sms(self, headers: Any, body: bytes) -> tuple[int, dict[str, Any]]:
        with self._lock:
            if self.fail_next_count > 0:
                self.fail_next_count -= 1
                self.failed += 1
                self._save()
                return self.fail_status, {"error": "unavailable"}
            if not self._signature_ok(headers, body):
                self.rejected += 1
                self._save()
                return 401, {"error": "bad signature"}
            key = headers.get("Idempotency-Key", "")
            try:
                payload = json.loads(body)
                to, text = str(payload["to"]), str(payload["text"])
            except (ValueError, KeyError, TypeError):
                return 400, {"error": "body must be JSON with to and text"}
            if not key:
                return 400, {"error": "Idempotency-Key is required"}
            self.requests += 1
            self._lock.notify_all()
            for sms in self.messages:
                if sms["idempotency_key"] == key:
                    self.duplicates += 1
                    self._save()
                    return 200, {"id": sms["id"], "duplicate": True}
            sms = {
                "id": f"gw{len(self.messages) + 1:06d}",
                "to": to,
                "text": text,
                "message_id": str(payload.get("message_id", "")),
                "idempotency_key": key,
                "received_at": datetime.now(UTC).isoformat(),
            }
            self.messages.append(sms)
            self._save()
            delay = self.delay_seconds
        # The message counts as received before the (slow) answer goes out: a client that
        # dies while waiting has still had its message accepted, as with a real gateway.
        if delay:
            self._wake.wait(delay)
        return 200, {"id": sms["id"]}

    def handle_control(self, body: bytes) -> dict[str, Any]:
        command = json.loads(body or b"{}")
        if command.get("reset"):
            self.reset()
        if "fail_next" in command:
            self.fail_next(int(command["fail_next"]), status=int(command.get("fail_status", 503)))
        if "delay" in command:
            self.delay(float(command["delay"]))
        return self.state()


class _Handler(BaseHTTPRequestHandler):
    # Answer at once: with Nagle on, a keep-alive client waits for the delayed ACK (~40 ms).
    disable_nagle_algorithm = True
    gateway: SmsGateway
    protocol_version = "HTTP/1.1"

    def _answer(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the client went away (killed while waiting): nothing to tell it

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_POST(self) -> None:
        body = self._body()
        if self.path == "/sms":
            self._answer(*self.gateway.handle_sms(self.headers, body))
        elif self.path == "/_control":
            self._answer(200, self.gateway.handle_control(body))
        else:
            self._answer(404, {"error": "not found"})

    def do_GET(self) -> None:
        if self.path == "/_state":
            self._answer(200, self.gateway.state())
        else:
            self._answer(404, {"error": "not found"})

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def running_gateway(**options: Any) -> Iterator[SmsGateway]:
    gateway = SmsGateway(**options).start()
    try:
        yield gateway
    finally:
        gateway.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="A local SMS gateway for tests and benchmarks.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--state", help="JSON file that keeps what was received across restarts")
    parser.add_argument("--key", default=os.environ.get("ONESTOP_SMS_GATEWAY_KEY", ""))
    parser.add_argument("--fail-next", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args(argv)
    if not args.key:
        parser.error("--key (or ONESTOP_SMS_GATEWAY_KEY) is required")
    gateway = SmsGateway(key=args.key, host=args.host, port=args.port, state_file=args.state)
    gateway.fail_next(args.fail_next)
    gateway.delay(args.delay)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    gateway.start()
    sys.stdout.write(f"listening on {gateway.url}\n")
    sys.stdout.flush()
    while not stopping.wait(0.5):
        pass
    gateway.stop()


if __name__ == "__main__":
    main()
