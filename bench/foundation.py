"""The foundation's benchmarks: the API floor later benchmarks are compared to, audit
appends, and outbox delivery to a local SMS gateway."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import time
from collections.abc import Callable

from bench.harness import ROOT, Result, summarise_ms

API_REQUESTS = 3000
API_CONCURRENCY = 16
AUDIT_APPENDS = 2000
OUTBOX_MESSAGES = 1000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _hammer(
    url: str, headers: dict[str, str], total: int, concurrency: int
) -> tuple[list[float], float, int]:
    import httpx

    latencies: list[float] = []
    failures = 0
    remaining = total
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal remaining, failures
            while remaining > 0:
                remaining -= 1
                start = time.perf_counter()
                response = await client.get(url)
                latencies.append(time.perf_counter() - start)
                if response.status_code != 200:
                    failures += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    return latencies, elapsed, failures


def server_stop(process: subprocess.Popen) -> None:
    """Stop a server started by `serve_platform`, killing it if it does not stop: one left
    running would keep the benchmark's output pipe open and hang the run."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def serve_platform() -> tuple[subprocess.Popen, str]:
    """Start the platform on a free port as production runs it (`onestop serve`'s web server,
    granian, one worker; onestop/core/serving.py)."""
    import httpx

    from onestop.core.serving import web_server_command

    port = _free_port()
    process = subprocess.Popen(
        web_server_command(port=port),
        cwd=ROOT,
        # Refused bookings are the storm's expected outcome; Django would log each 409.
        env={**os.environ, "LOG_LEVEL": "ERROR"},
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the web server did not start")


def measure_endpoint(
    url: str,
    headers: dict[str, str],
    *,
    total: int = API_REQUESTS,
    concurrency: int = API_CONCURRENCY,
) -> dict[str, float | int]:
    latencies, elapsed, failures = asyncio.run(_hammer(url, headers, total, concurrency))
    return {
        "requests": total,
        "concurrency": concurrency,
        "req_per_s": round(total / elapsed, 1),
        **summarise_ms(latencies),
        "failures": failures,
    }


def machine_token() -> str:
    from onestop.identity.enums import AccountKind
    from onestop.identity.models import User
    from onestop.identity.services import api_token_issue

    admin = User.objects.create_superuser("bench-admin", "bench-admin-password")
    kiosk = User.objects.create_user("bench-kiosk", None, kind=AccountKind.MACHINE)
    _, plaintext = api_token_issue(actor=admin, user=kiosk, name="bench")
    return plaintext


def api_floor() -> Result:
    token = machine_token()
    process, base = serve_platform()
    try:
        figures = measure_endpoint(
            f"{base}/api/v1/identity/me", {"Authorization": f"Bearer {token}"}
        )
    finally:
        server_stop(process)
    return Result(
        "api floor: GET /api/v1/identity/me (token auth), granian 1 worker",
        figures,
        "the floor later benchmarks are compared to; client and server share the 2 cores",
    )


def audit_append() -> Result:
    from django.db import transaction

    from onestop.core.audit import audit_record, audit_verify

    samples: list[float] = []
    start = time.perf_counter()
    for n in range(AUDIT_APPENDS):
        began = time.perf_counter()
        with transaction.atomic():
            audit_record(
                actor=None, action="bench.append", object_type="bench", object_id=n, after={"n": n}
            )
        samples.append(time.perf_counter() - began)
    elapsed = time.perf_counter() - start
    verify_start = time.perf_counter()
    report = audit_verify()
    verify_s = time.perf_counter() - verify_start
    assert report.ok and report.checked >= AUDIT_APPENDS
    return Result(
        "audit appends, one transaction each",
        {
            "appends": AUDIT_APPENDS,
            "appends_per_s": round(AUDIT_APPENDS / elapsed, 1),
            **summarise_ms(samples),
            "verify_entries_per_s": round(report.checked / verify_s, 1),
        },
    )


def outbox_delivery() -> Result:
    from django.db import transaction
    from django.test.utils import override_settings

    from onestop.notifications.services import outbox_enqueue
    from onestop.notifications.worker import outbox_deliver_due
    from tests.support.sms_gateway import running_gateway

    with (
        running_gateway(key="bench-gateway-key") as gateway,
        override_settings(
            ONESTOP_SMS_BACKEND="http",
            ONESTOP_SMS_GATEWAY_URL=gateway.url,
            ONESTOP_SMS_GATEWAY_KEY="bench-gateway-key",
        ),
    ):
        with transaction.atomic():
            for n in range(OUTBOX_MESSAGES):
                outbox_enqueue(
                    channel="sms",
                    template="generic",
                    context={"text": f"bench message {n}"},
                    phone=f"139{n:08d}",
                    idempotency_key=f"bench-{n}",
                )
        start = time.perf_counter()
        delivered = 0
        while delivered < OUTBOX_MESSAGES:
            report = outbox_deliver_due(limit=100)
            if not report.sent:
                break
            delivered += report.sent
        elapsed = time.perf_counter() - start
        received = len(gateway.messages)
    assert received == OUTBOX_MESSAGES, received
    return Result(
        "outbox delivery to the local HTTP SMS gateway (signed requests), one worker",
        {
            "messages": OUTBOX_MESSAGES,
            "delivered_per_s": round(delivered / elapsed, 1),
            "gateway_received": received,
        },
    )


BENCHMARKS: dict[str, Callable[[], Result]] = {
    "api_floor": api_floor,
    "audit_append": audit_append,
    "outbox_delivery": outbox_delivery,
}
