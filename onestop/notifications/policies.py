"""Who may operate the outbox. Duck-typed, because notifications sits below identity."""

from __future__ import annotations

from typing import Any


def can_manage_outbox(actor: Any) -> bool:
    """Requeue dead letters and purge old messages: the system, platform admins, and staff
    given the model permission in the admin."""
    if actor is None:
        return True
    if getattr(actor, "is_platform_admin", False):
        return True
    return bool(actor.is_active and actor.has_perm("notifications.retry_outboxmessage"))
