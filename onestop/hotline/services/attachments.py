"""Photos and PDFs attached to a work order: by the citizen (the web form, the app's API),
by the agent during the call, by the handling department as evidence of its reply; and
links (`media_url`) from Open311 partners, stored as given and never fetched.

A file is a PDF, JPEG or PNG by its first bytes (core.uploads), whatever its name says; at
most ATTACHMENT_MAX_BYTES, and ATTACHMENTS_MAX per order. Every file of a request is checked
before any is stored, so a bad one leaves nothing behind. Who attached a file is kept for the
audit log and never shown to the department: a report's informant stays hidden.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import IO
from urllib.parse import urlsplit

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.core.access import Actor
from onestop.core.errors import Conflict, DomainError
from onestop.core.service import audited
from onestop.core.uploads import read_capped, sniff
from onestop.hotline import selectors
from onestop.hotline.enums import WORKORDER, Channel, ErrorCode, OrderAction, OrderState
from onestop.hotline.models import OrderAttachment, WorkOrder
from onestop.hotline.policies import RULES, Perm
from onestop.identity.actors import Account, StaffUser

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENTS_MAX = 6
URL_MAX_LENGTH = 500

NOT_AUDITED = {
    "attachments_store": "runs inside order_add_information, which is audited",
    "order_attach_on_create": "runs inside order_create, which is audited",
}


@dataclass(frozen=True)
class Upload:
    """One file as received: its bytes' stream (the name the sender gave is not kept)."""

    content: IO[bytes]


@dataclass(frozen=True)
class _Checked:
    data: bytes
    content_type: str


def _check(order: WorkOrder, uploads: list[Upload], links: int = 0) -> list[_Checked]:
    """Every file checked before any is stored."""
    if order.state == OrderState.CLOSED:
        raise Conflict(ErrorCode.ILLEGAL_TRANSITION, _("This order is closed."))
    held = order.attachments.count()
    if held + len(uploads) + links > ATTACHMENTS_MAX:
        raise DomainError(
            ErrorCode.TOO_MANY_ATTACHMENTS,
            _("An order holds at most %(max)d files; it has %(held)d.")
            % {"max": ATTACHMENTS_MAX, "held": held},
        )
    return _read(uploads)


def _read(uploads: list[Upload]) -> list[_Checked]:
    """Each file read (no more than the cap) and told by its first bytes."""
    checked = []
    for upload in uploads:
        data = read_capped(upload.content, ATTACHMENT_MAX_BYTES)
        if data is None:
            raise DomainError(
                ErrorCode.ATTACHMENT_TOO_LARGE,
                _("A file is larger than %(mb)d MB.")
                % {"mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)},
            )
        content_type = sniff(data[:16])
        if not content_type:
            raise DomainError(
                ErrorCode.ATTACHMENT_TYPE,
                _("Only photos (JPEG, PNG) and PDF files are accepted: this is none."),
            )
        checked.append(_Checked(data=data, content_type=content_type))
    return checked


def attachments_read(order: WorkOrder, uploads: list[Upload]) -> list[_Checked]:
    """The files for an order, read and checked (nothing stored yet)."""
    return _check(order, uploads) if uploads else []


def attachments_store(
    order: WorkOrder,
    checked: list[_Checked],
    *,
    actor: Actor | None,
    channel: str,
    now: datetime,
) -> list[OrderAttachment]:
    return _store(order, checked, [], actor=actor, channel=channel, now=now)


def _store(
    order: WorkOrder,
    checked: list[_Checked],
    links: list[str],
    *,
    actor: Actor | None,
    channel: str,
    now: datetime,
) -> list[OrderAttachment]:
    """Store the files and record them on the order's timeline (public: the citizen sees
    that files were added; nobody sees who added them but the audit log). A failure on the
    way removes the files already written, so nothing is left of a refused request."""
    stored: list[OrderAttachment] = []
    try:
        for item in checked:
            attachment = OrderAttachment(
                order=order,
                content_type=item.content_type,
                size=len(item.data),
                sha256=hashlib.sha256(item.data).hexdigest(),
                channel=channel,
                uploaded_by_id=actor.pk if actor is not None else None,
                created_at=now,
            )
            attachment.file.save(
                f"upload{attachment.extension}", ContentFile(item.data), save=False
            )
            stored.append(attachment)
            attachment.save(force_insert=True)
        for url in links:
            link = OrderAttachment(
                order=order,
                url=url,
                channel=channel,
                uploaded_by_id=actor.pk if actor is not None else None,
                created_at=now,
            )
            link.save(force_insert=True)
            stored.append(link)
        WORKORDER.record(
            order,
            action=OrderAction.ATTACH,
            actor=actor,
            at=now,
            detail={
                "count": len(stored),
                "types": sorted({a.content_type or "link" for a in stored}),
            },
        )
    except BaseException:
        for attachment in stored:
            if attachment.file:
                attachment.file.storage.delete(attachment.file.name)
        raise
    return stored


def link_clean(value: str) -> str:
    """An http(s) address as given by an Open311 partner (never fetched)."""
    url = str(value or "").strip()
    parts = urlsplit(url)
    if len(url) > URL_MAX_LENGTH or parts.scheme not in ("http", "https") or not parts.netloc:
        raise DomainError(
            ErrorCode.ATTACHMENT_TYPE, _("The media address is not an http(s) address.")
        )
    return url


@audited("hotline.order.attach", timeline=True)
def order_attach(
    *,
    actor: StaffUser,
    order_id: int,
    uploads: list[Upload],
    now: datetime | None = None,
) -> list[OrderAttachment]:
    """The agent attaches what the caller sends during the call, or the handling department
    the evidence of what it did."""
    now = now or timezone.now()
    order = selectors.access_order(actor, order_id, Perm.READ, for_update=True)
    place = order.place
    agent = RULES.can(actor, Perm.TAKE, place)
    if not agent:
        RULES.require(actor, Perm.HANDLE, place)
    checked = _check(order, uploads)
    channel = Channel.PHONE if agent else order.channel
    return _store(order, checked, [], actor=actor, channel=channel, now=now)


@audited("hotline.order.attach", timeline=True)
def order_attach_by_citizen(
    *,
    actor: Account | None,
    number: str,
    phone: str,
    uploads: list[Upload],
    channel: str = Channel.WEB,
    now: datetime | None = None,
) -> list[OrderAttachment]:
    """The citizen adds photos or PDFs to their open order (by its number and their phone)."""
    now = now or timezone.now()
    order = selectors.order_for_citizen(number, phone, for_update=True)
    checked = _check(order, uploads)
    return _store(order, checked, [], actor=actor, channel=channel, now=now)


def order_attach_on_create(
    order: WorkOrder,
    *,
    actor: Account | None,
    uploads: list[Upload],
    links: list[str],
    channel: str,
    now: datetime,
) -> list[OrderAttachment]:
    """Files and links that came with the request itself, stored in its registration's
    transaction (the caller's); checked before anything is written."""
    if not uploads and not links:
        return []
    checked = _check(order, uploads, links=len(links))
    return _store(order, checked, list(links), actor=actor, channel=channel, now=now)


def attachments_check(uploads: list[Upload], links: list[str]) -> None:
    """Check files before an order exists (a form, the API), so a bad file refuses the
    whole request before anything is written. Rewinds the streams for the real store."""
    if len(uploads) + len(links) > ATTACHMENTS_MAX:
        raise DomainError(
            ErrorCode.TOO_MANY_ATTACHMENTS,
            _("A request holds at most %(max)d files.") % {"max": ATTACHMENTS_MAX},
        )
    _read(uploads)
    for upload in uploads:
        upload.content.seek(0)
    for url in links:
        link_clean(url)
