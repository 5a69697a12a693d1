"""The web server a web process runs, in one place: `onestop serve`, the benchmarks and
docs/operations.md all start the same command line (decision 0013).

Granian (a Rust HTTP server) runs the platform's ASGI application, config/asgi.py: HTTP goes
to Django's WSGI handler on a pool of threads, WebSockets to Channels. One event-loop thread
per worker parses HTTP outside Python's interpreter lock, which is where uvicorn spent most of
a small request's time.
"""

from __future__ import annotations

import sys

APPLICATION = "config.asgi:application"


def web_server_command(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    application: str = APPLICATION,
    server: str = "granian",
    log_level: str = "warning",
) -> list[str]:
    """The command line of a web process. `server` is "granian" (production) or "uvicorn"
    (kept for comparison, and for a machine where granian's wheel is not available)."""
    python = sys.executable
    if server == "granian":
        return [
            python, "-m", "granian",
            "--interface", "asgi",
            "--host", host,
            "--port", str(port),
            "--workers", str(workers),
            "--log-level", log_level,
            "--no-access-log",
            # Open WebSockets (call boards) must not hold a restart up for long.
            "--workers-kill-timeout", "5",
            application,
        ]  # fmt: skip
    if server == "uvicorn":
        return [
            python, "-m", "uvicorn", application,
            "--host", host,
            "--port", str(port),
            "--workers", str(workers),
            "--log-level", log_level,
            "--no-access-log",
            "--timeout-graceful-shutdown", "5",
            "--timeout-keep-alive", "60",
        ]  # fmt: skip
    raise ValueError(f"unknown web server {server!r}")
