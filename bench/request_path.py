"""The request path (decision 0013): how fast a web process answers, as ratios measured in one
run, under the production server and beside the alternatives.

With the four-level demo catalog (~88,000 items) and a machine account's bearer token, `wrk`
(one thread, 16 connections, one server worker, client and server on the same 2 cores) drives:

- a raw ASGI hello (bench/_hello.py): the server alone, the ceiling;
- `/healthz`, answered before Django;
- `GET /api/v1/identity/me` with the token: the authenticated floor (token, account, answer);
- `GET /api/v1/catalog/counts`, public: the four-level counts, cached between changes;

under granian (production), uvicorn (the same application), uvicorn with Django's own ASGI
handler (the application as served before), and gunicorn's threaded WSGI worker (HTTP only,
no WebSockets: a reference). Each figure is the median of REPEATS runs of SECONDS seconds.
`BENCH_BEFORE=/path/to/checkout` adds the platform as that checkout serves it (its own code,
this run's database), for the figures before a change. Needs `wrk` on the PATH.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.harness import ROOT, Result

SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "4"))
REPEATS = int(os.environ.get("BENCH_WRK_REPEATS", "3"))
CONNECTIONS = 16
ENDPOINTS = {
    "healthz": "/healthz",
    "me": "/api/v1/identity/me",
    "counts": "/api/v1/catalog/counts",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _command(kind: str, port: int) -> list[str]:
    from onestop.core.serving import web_server_command

    python = sys.executable
    if kind == "granian":
        return web_server_command(port=port, server="granian")
    if kind == "uvicorn":
        return web_server_command(port=port, server="uvicorn")
    if kind in ("uvicorn-django-asgi", "before"):
        return web_server_command(
            port=port, server="uvicorn", application="bench._django_asgi:application"
        )
    if kind == "gunicorn-wsgi":
        return [
            python, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"127.0.0.1:{port}",
            "--workers", "1",
            "--worker-class", "gthread",
            "--threads", "8",
            "--log-level", "warning",
        ]  # fmt: skip
    if kind == "hello-granian":
        return web_server_command(
            port=port, server="granian", application="bench._hello:application"
        )
    if kind == "hello-uvicorn":
        return web_server_command(
            port=port, server="uvicorn", application="bench._hello:application"
        )
    raise ValueError(kind)


class Server:
    def __init__(self, kind: str, *, cwd: Path = ROOT, env: dict[str, str] | None = None) -> None:
        self.port = _free_port()
        command = _command(kind, self.port)
        if kind == "before":
            # That checkout's own application module, under the same server.
            command[command.index("bench._django_asgi:application")] = "config.asgi:application"
        self.process = subprocess.Popen(
            command,
            cwd=cwd,
            env={
                **os.environ,
                "LOG_LEVEL": "ERROR",
                "SEARCH_WARM_AT_START": "false",
                **(env or {}),
            },
            stdout=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        import httpx

        for _ in range(600):
            try:
                httpx.get(self.base + "/healthz", timeout=1)
                return self
            except httpx.HTTPError:
                if self.process.poll() is not None:
                    raise RuntimeError("the server exited") from None
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("the server did not start")

    def __exit__(self, *_: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def wrk(url: str, headers: dict[str, str] | None = None) -> dict[str, float]:
    """Requests per second and p50 latency (ms) of one wrk run; non-2xx answers fail it."""
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "20s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=SECONDS + 60
    ).stdout
    if "Non-2xx" in out or ("Socket errors" in out and "timeout" in out):
        raise RuntimeError(f"{url}: failed requests\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    assert p50 is not None, out
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p50.group(2)]
    return {"rps": rate, "p50_ms": float(p50.group(1)) * scale}


def _median(base: str, path: str, headers: dict[str, str] | None = None) -> dict[str, float]:
    runs = [wrk(base + path, headers) for _ in range(REPEATS)]
    return {
        "rps": round(statistics.median(r["rps"] for r in runs), 1),
        "p50_ms": round(statistics.median(r["p50_ms"] for r in runs), 2),
    }


def _check(base: str, token: str) -> None:
    """Each endpoint answers what it should before it is measured."""
    import httpx

    # The first request loads the URLs and the API's schemas: give it time.
    with httpx.Client(base_url=base, timeout=120) as client:
        assert client.get("/healthz").text == "ok"
        me = client.get(ENDPOINTS["me"], headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200 and me.json()["username"] == "rp-machine", me.text
        counts = client.get(ENDPOINTS["counts"]).json()
    assert counts["community"] > 0, counts


def _measure_platform(kind: str, token: str, **server: object) -> dict[str, float]:
    figures: dict[str, float] = {}
    auth = {"Authorization": f"Bearer {token}"}
    with Server(kind, **server) as running:  # type: ignore[arg-type]
        _check(running.base, token)
        for name, path in ENDPOINTS.items():
            measured = _median(running.base, path, auth if name == "me" else None)
            figures[f"{name}_rps"] = measured["rps"]
            figures[f"{name}_p50_ms"] = measured["p50_ms"]
    return figures


def _measure_hello(kind: str) -> float:
    with Server(kind) as running:
        return _median(running.base, "/")["rps"]


def _machine_token() -> str:
    from onestop.identity.enums import AccountKind
    from onestop.identity.models import User
    from onestop.identity.services import api_token_issue

    admin = User.objects.filter(username="rp-admin").first() or User.objects.create_superuser(
        "rp-admin", "rp-admin-password"
    )
    machine = User.objects.filter(username="rp-machine").first() or User.objects.create_user(
        "rp-machine", None, kind=AccountKind.MACHINE
    )
    _, plaintext = api_token_issue(actor=admin, user=machine, name="request path")
    return plaintext


def _ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else float("nan")


def request_path() -> Result:
    if shutil.which("wrk") is None:
        return Result("request path", {"skipped": "wrk not installed"}, "apt-get install wrk")
    from onestop.catalog.demo import catalog_build_demo

    catalog_build_demo(actor=None)  # nothing to do when an earlier benchmark built it
    token = _machine_token()

    hello = {kind: _measure_hello(f"hello-{kind}") for kind in ("granian", "uvicorn")}
    platform = {
        kind: _measure_platform(kind, token)
        for kind in ("granian", "uvicorn", "uvicorn-django-asgi", "gunicorn-wsgi")
    }
    before_root = os.environ.get("BENCH_BEFORE", "")
    if before_root:
        platform["before"] = _measure_platform("before", token, cwd=Path(before_root))

    chosen = platform["granian"]
    figures: dict[str, float | int | str] = {
        "hello_granian_rps": hello["granian"],
        "hello_uvicorn_rps": hello["uvicorn"],
    }
    for kind, measured in platform.items():
        for name, value in measured.items():
            figures[f"{kind}_{name}"] = value
    figures["healthz_to_hello"] = _ratio(chosen["healthz_rps"], hello["granian"])
    figures["me_to_django_asgi"] = _ratio(
        chosen["me_rps"], platform["uvicorn-django-asgi"]["me_rps"]
    )
    figures["counts_to_django_asgi"] = _ratio(
        chosen["counts_rps"], platform["uvicorn-django-asgi"]["counts_rps"]
    )
    if "before" in platform:
        figures["me_to_before"] = _ratio(chosen["me_rps"], platform["before"]["me_rps"])
        figures["counts_to_before"] = _ratio(chosen["counts_rps"], platform["before"]["counts_rps"])
        figures["healthz_to_before"] = _ratio(
            chosen["healthz_rps"], platform["before"]["healthz_rps"]
        )
    return Result(
        "request path: hello, /healthz, /api/v1/identity/me (token), /api/v1/catalog/counts; "
        "granian (production) beside uvicorn, uvicorn with Django's ASGI handler and gunicorn "
        "WSGI, 1 worker each",
        figures,
        f"wrk 1 thread, {CONNECTIONS} connections, median of {REPEATS} × {SECONDS} s; targets: "
        "healthz_to_hello ≥ 0.25, the authenticated floor ≥ 3× the one before "
        "(me_to_before); decision 0013",
    )


BENCHMARKS: dict[str, Callable[[], Result]] = {"request_path": request_path}
