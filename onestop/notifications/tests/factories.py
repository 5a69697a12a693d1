"""Messages queued through the real `outbox_enqueue`, and accounts through identity's
services, so tests follow the paths the platform takes."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from onestop.identity.models import Citizen, StaffUser
from onestop.identity.tests import factories as accounts
from onestop.notifications.models import OutboxMessage
from onestop.notifications.services import outbox_enqueue

PHONE = "13812341234"


def sms(phone: str = PHONE, **options: Any) -> OutboxMessage:
    """A sign-in code by SMS, queued in a transaction of its own as a caller's would be."""
    options.setdefault("template", "sms_signin_code")
    options.setdefault("context", {"code": "482913", "minutes": 5})
    with transaction.atomic():
        return outbox_enqueue(channel="sms", phone=phone, **options)


def in_app(user_id: int, text: str = "hi") -> OutboxMessage:
    with transaction.atomic():
        return outbox_enqueue(
            channel="in_app", template="generic", context={"text": text}, user_id=user_id
        )


def platform_admin() -> StaffUser:
    admin = accounts.platform_admin()
    assert isinstance(admin, StaffUser)
    return admin


def citizen() -> Citizen:
    account = accounts.citizen()
    assert isinstance(account, Citizen)
    return account


def staff_with_admin_site() -> StaffUser:
    """A member of staff who may open the Django admin, with no role."""
    account = accounts.StaffFactory.create(roles=[], admin_site=True)
    assert isinstance(account, StaffUser)
    return account
