"""SMS backends: one interface, four ways to deliver.

`send()` returns the gateway's id for the message or raises `TemporaryFailure` (try again
later) or `PermanentFailure` (trying again will not help). The idempotency key travels to
the gateway so that a resend after a worker died between sending and recording is dropped
there: that is where exactly-once is enforced.

Nothing here logs or raises with a full phone number in it.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

from onestop.core.pii import PiiKind, mask

logger = logging.getLogger("onestop.notifications.sms")


class DeliveryFailure(Exception):
    """A delivery attempt did not go through. The message must not contain personal data."""


class TemporaryFailure(DeliveryFailure):
    """Worth another attempt later: the gateway is down, slow or overloaded."""


class PermanentFailure(DeliveryFailure):
    """Another attempt would fail the same way: the gateway refused the message."""


class SmsBackend(Protocol):
    def send(self, message_id: str, phone: str, text: str, idempotency_key: str) -> str: ...


def sign(key: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over `timestamp + "." + body`, hex: what X-Onestop-Signature carries."""
    return hmac.new(key.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class ConsoleSmsBackend:
    """For development: the text goes to the log, the phone number masked."""

    def send(self, message_id: str, phone: str, text: str, idempotency_key: str) -> str:
        logger.info("SMS %s to %s: %s", message_id, mask(PiiKind.PHONE, phone), text)
        return f"console-{message_id}"


class FileSmsBackend:
    """Appends one JSON line per message to `<dir>/sms-YYYY-MM-DD.jsonl`: a demo's phone.

    The number is written masked, like everywhere else outside the vault; the message id
    and the masked number are enough to find a text in the file.
    """

    _lock = threading.Lock()

    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = Path(directory or settings.ONESTOP_SMS_FILE_DIR)

    def send(self, message_id: str, phone: str, text: str, idempotency_key: str) -> str:
        now = timezone.now()
        line = json.dumps(
            {
                "at": now.isoformat(),
                "message_id": message_id,
                "idempotency_key": idempotency_key,
                "to": mask(PiiKind.PHONE, phone),
                "text": text,
            },
            ensure_ascii=False,
        )
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            path = self.directory / f"sms-{now.date().isoformat()}.jsonl"
            with self._lock, path.open("a", encoding="utf-8") as out:
                out.write(line + "\n")
        except OSError as exc:
            raise TemporaryFailure(f"cannot write to the SMS file: {exc.strerror}") from exc
        return f"file-{message_id}"


@dataclass(frozen=True)
class MemorySms:
    message_id: str
    phone: str
    text: str
    idempotency_key: str
    gateway_id: str


class MemorySmsBackend:
    """For tests. Behaves like a gateway that dedupes by idempotency key.

    `memory_outbox` holds each distinct message once; `memory_calls` every call, resends
    included. `memory_fail_next()` makes the next calls fail.
    """

    def send(self, message_id: str, phone: str, text: str, idempotency_key: str) -> str:
        with _memory_lock:
            memory_calls.append(idempotency_key)
            if _memory_failures:
                raise _memory_failures.pop(0)
            for sms in memory_outbox:
                if sms.idempotency_key == idempotency_key:
                    return sms.gateway_id
            sms = MemorySms(message_id, phone, text, idempotency_key, f"mem-{uuid.uuid4().hex}")
            memory_outbox.append(sms)
            return sms.gateway_id


_memory_lock = threading.Lock()
memory_outbox: list[MemorySms] = []
memory_calls: list[str] = []
_memory_failures: list[DeliveryFailure] = []


def memory_fail_next(count: int, *, permanent: bool = False) -> None:
    kind = PermanentFailure if permanent else TemporaryFailure
    with _memory_lock:
        _memory_failures.extend(kind("simulated failure") for _ in range(count))


def memory_reset() -> None:
    with _memory_lock:
        memory_outbox.clear()
        memory_calls.clear()
        _memory_failures.clear()


# 4xx answers that mean "not now" rather than "never": request timeout, too early, too many.
RETRYABLE_CLIENT_STATUSES = frozenset({408, 425, 429})


@functools.cache
def _http_client() -> httpx.Client:
    # One pooled client per process: building a client (its TLS context) costs more than
    # sending an SMS, and keep-alive saves a connection per message.
    return httpx.Client(timeout=httpx.Timeout(5.0, connect=2.0))


class HttpSmsBackend:
    """POSTs JSON to the gateway, signed with HMAC-SHA256, with an Idempotency-Key header.

    5xx, timeouts and refused connections are temporary; other 4xx are permanent.
    """

    def __init__(
        self, url: str | None = None, key: str | None = None, *, timeout: float = 5.0
    ) -> None:
        self.url = url if url is not None else settings.ONESTOP_SMS_GATEWAY_URL
        self.key = key if key is not None else settings.ONESTOP_SMS_GATEWAY_KEY
        if not self.url or not self.key:
            raise ImproperlyConfigured(
                "the http SMS backend needs ONESTOP_SMS_GATEWAY_URL and ONESTOP_SMS_GATEWAY_KEY"
            )
        self.timeout = httpx.Timeout(timeout, connect=min(timeout, 2.0))

    def send(self, message_id: str, phone: str, text: str, idempotency_key: str) -> str:
        body = json.dumps(
            {"message_id": message_id, "to": phone, "text": text}, ensure_ascii=False
        ).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Onestop-Timestamp": timestamp,
            "X-Onestop-Signature": sign(self.key, timestamp, body),
            "Idempotency-Key": idempotency_key,
        }
        try:
            response = _http_client().post(
                self.url, content=body, headers=headers, timeout=self.timeout
            )
        except httpx.TimeoutException as exc:
            raise TemporaryFailure(f"gateway timed out ({type(exc).__name__})") from exc
        except httpx.TransportError as exc:
            raise TemporaryFailure(f"gateway unreachable ({type(exc).__name__})") from exc
        status = response.status_code
        if status >= 500 or status in RETRYABLE_CLIENT_STATUSES:
            raise TemporaryFailure(f"gateway answered {status}")
        if not 200 <= status < 300:
            # The body is not quoted: a gateway may echo the number back in it.
            raise PermanentFailure(f"gateway refused the message: {status}")
        try:
            return str(response.json().get("id", ""))
        except (ValueError, AttributeError):
            return ""


BACKENDS = {
    "console": ConsoleSmsBackend,
    "file": FileSmsBackend,
    "memory": MemorySmsBackend,
    "http": HttpSmsBackend,
}


def get_sms_backend(name: str | None = None) -> SmsBackend:
    """The configured backend: a name from BACKENDS, or a dotted path to a class."""
    name = name or settings.ONESTOP_SMS_BACKEND
    cls = BACKENDS.get(name) or import_string(name)
    return cls()
