"""Open311 partners' API keys: created (the key is shown once, only its hash kept) and
revoked by an operator."""

from __future__ import annotations

import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.core.access import Actor
from onestop.core.audit import audit_record
from onestop.core.errors import Conflict, NotFound
from onestop.core.service import audited
from onestop.hotline.enums import ErrorCode
from onestop.hotline.models import Open311Key
from onestop.hotline.policies import RULES, Perm
from onestop.hotline.services.orders import text_clean


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@audited("hotline.open311_key.create")
def open311_key_create(*, actor: Actor | None, name: str) -> tuple[Open311Key, str]:
    RULES.require(actor, Perm.CONFIGURE)
    label = text_clean(name, field=_("The name"), limit=80)
    key = secrets.token_urlsafe(32)
    row = Open311Key(name=label, key_hash=key_hash(key), prefix=key[:6])
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        raise Conflict(ErrorCode.KEY_EXISTS, _("A key with this name exists.")) from None
    audit_record(
        actor=actor,
        action="hotline.open311_key.create",
        obj=row,
        after={"name": row.name, "prefix": row.prefix},
    )
    return row, key


@audited("hotline.open311_key.revoke")
def open311_key_revoke(*, actor: Actor | None, name: str) -> Open311Key:
    RULES.require(actor, Perm.CONFIGURE)
    row = Open311Key.objects.select_for_update().filter(name=name, revoked_at=None).first()
    if row is None:
        raise NotFound(ErrorCode.KEY_NOT_FOUND, _("No active key has this name."))
    row.revoked_at = timezone.now()
    row.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor, action="hotline.open311_key.revoke", obj=row, after={"name": row.name}
    )
    return row


def open311_key_check(key: str) -> Open311Key | None:
    """The active key a partner presented, or None."""
    if not key:
        return None
    return Open311Key.objects.filter(key_hash=key_hash(key), revoked_at=None).first()
