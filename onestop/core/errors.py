"""Domain errors and their problem+json form (RFC 9457).

A service raises `DomainError` with a stable code from its app's `enums.ErrorCode`; the API
turns it into `application/problem+json`, a page into a message. A client acts on `code`,
never on the human text.
"""

from __future__ import annotations

from enum import StrEnum
from http import HTTPStatus
from typing import Any


class DomainError(Exception):
    """A request the domain refuses. Raised before anything is written, or rolls it back."""

    status: int = HTTPStatus.UNPROCESSABLE_ENTITY

    def __init__(
        self, code: StrEnum | str, message: str, *, status: int | None = None, **params: Any
    ) -> None:
        super().__init__(message)
        self.code = str(code)
        self.message = message
        self.params = params
        if status is not None:
            self.status = status

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    """Also what an actor gets for a row outside their scope: existence is not disclosed."""

    status = HTTPStatus.NOT_FOUND


class PermissionDenied(DomainError):
    status = HTTPStatus.FORBIDDEN


class Conflict(DomainError):
    """The object's current state forbids the move (an illegal transition, a full slot)."""

    status = HTTPStatus.CONFLICT


class ThrottledError(DomainError):
    status = HTTPStatus.TOO_MANY_REQUESTS


def problem(
    *, status: int, code: str, title: str, detail: str = "", **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"https://onestop.invalid/problems/{code}",
        "title": title,
        "status": status,
        "code": code,
    }
    if detail:
        body["detail"] = detail
    body.update(extra)
    return body
