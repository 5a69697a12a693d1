"""Every write of ratings: a visitor's rating of a finished visit, an applicant's rating of a
closed case (called by the cases app, which checks the case is theirs and closed), and the
hall manager's follow-up of a named bad one (open → in progress → closed, through the
FOLLOW_UP machine, which writes the task's timeline and the audit entry). Each service is
@audited: it runs in one transaction that does not commit without its entries."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.core import pii
from onestop.core.audit import audit_record
from onestop.core.errors import Conflict, DomainError
from onestop.core.service import audited
from onestop.identity.actors import Account, Citizen, StaffUser
from onestop.ratings import selectors
from onestop.ratings.enums import (
    BAD_LEVELS,
    FOLLOW_UP,
    ErrorCode,
    FollowUpAction,
    FollowUpState,
    RatingLevel,
    reason_fits,
)
from onestop.ratings.models import FollowUpTask, Rating, RatingReason

COMMENT_MAX_LENGTH = 500
NAME_MAX_LENGTH = 60
RESOLUTION_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 500
MAX_REASONS = 10
MAINLAND_MOBILE = re.compile(r"1[3-9]\d{9}")


def _fold(value: str) -> str:
    # NFKC folds the full-width digits and letters of Chinese input methods.
    return unicodedata.normalize("NFKC", value or "")


def _has_control(text: str) -> bool:
    return any(unicodedata.category(c).startswith("C") and c not in "\n\r\t" for c in text)


def level_parse(value: Any) -> int:
    try:
        level = int(str(value).strip())
    except (TypeError, ValueError):
        level = 0
    if level not in RatingLevel.values:
        raise DomainError(ErrorCode.INVALID_LEVEL, _("Choose one of the five ratings."))
    return level


def _comment_clean(value: str) -> str:
    # Free text keeps its full-width punctuation: only identifiers are folded.
    comment = (value or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise DomainError(
            ErrorCode.INVALID_COMMENT,
            _("The comment is longer than %(max)d characters.") % {"max": COMMENT_MAX_LENGTH},
        )
    if _has_control(comment):
        raise DomainError(ErrorCode.INVALID_COMMENT, _("The comment holds control characters."))
    return comment


def _contact_clean(name: str, phone: str) -> tuple[str, str]:
    name = " ".join((name or "").split())
    if len(name) > NAME_MAX_LENGTH or _has_control(name):
        raise DomainError(
            ErrorCode.INVALID_CONTACT,
            _("A name has at most %(max)d characters.") % {"max": NAME_MAX_LENGTH},
        )
    digits = re.sub(r"[\s\-()]", "", _fold(phone))
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    if digits and not MAINLAND_MOBILE.fullmatch(digits):
        raise DomainError(
            ErrorCode.INVALID_CONTACT,
            _("A mobile number has 11 digits and starts with 13 to 19, e.g. 13800138000."),
        )
    return name, digits


def _reasons_resolve(codes: Iterable[str], level: int) -> list[RatingReason]:
    wanted = list(dict.fromkeys(str(code).strip() for code in codes if str(code).strip()))
    if len(wanted) > MAX_REASONS:
        raise DomainError(ErrorCode.INVALID_REASON, _("Too many reasons."))
    found = {r.code: r for r in RatingReason.objects.filter(code__in=wanted, is_active=True)}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_REASON,
            _("Unknown reason: %(code)s.") % {"code": unknown[0][:40]},
            reasons=[code[:40] for code in unknown],
        )
    misfits = [found[code] for code in wanted if not reason_fits(found[code].applies, level)]
    if misfits:
        raise DomainError(
            ErrorCode.INVALID_REASON,
            _("“%(reason)s” does not go with this rating.") % {"reason": misfits[0].label},
        )
    return [found[code] for code in wanted]


def rating_summary(rating: Rating) -> dict[str, Any]:
    """What the audit log keeps of a rating: no contact details."""
    return {
        "ticket_id": rating.ticket_id,
        "case_id": rating.case_id,
        "level": rating.level,
        "is_named": rating.is_named,
        "window_id": rating.window_id,
        "reasons": sorted(r.code for r in rating.reasons.all()),
    }


@audited("ratings.rating.submit")
def rating_submit(
    *,
    token: str,
    level: Any,
    reasons: Iterable[str] = (),
    comment: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    actor: Account | None = None,
    now: datetime | None = None,
) -> Rating:
    """Rate a finished visit, known by its public token: whoever holds it rates, signed in
    (`actor`, recorded as who rated) or not. Once per visit, within the rating period after
    it finished. A named bad rating opens a follow-up task for the centre's hall manager, in
    the same transaction."""
    now = now or timezone.now()
    ticket = selectors.ticket_for_rating(token, for_update=True)
    refusal = selectors.rating_refusal(ticket, now)
    if refusal is not None:
        raise refusal
    score = level_parse(level)
    chosen = _reasons_resolve(reasons, score)
    text = _comment_clean(comment)
    name, phone = _contact_clean(contact_name, contact_phone)
    rating = Rating(
        ticket=ticket,
        centre_id=ticket.centre_id,
        service_day=ticket.service_day,
        category_id=ticket.category_id,
        kind=ticket.kind,
        window_id=ticket.window_id,
        clerk_id=ticket.clerk_id,
        level=score,
        comment=text,
        person_id=ticket.person_id,
        contact_name=name,
        is_named=bool(ticket.person_id or name or phone),
        created_at=now,
    )
    pii.assign(rating, "contact_phone", phone or None)
    try:
        with transaction.atomic():
            rating.save(force_insert=True)
    except IntegrityError:
        # Another submission for this visit won the race.
        raise Conflict(ErrorCode.ALREADY_RATED, _("This visit has been rated.")) from None
    rating.reasons.set(chosen)
    audit_record(
        actor=actor, action="ratings.rating.submit", obj=rating, after=rating_summary(rating)
    )
    _follow_up_open(rating, actor=actor, now=now)
    return rating


def _follow_up_open(rating: Rating, *, actor: Account | None, now: datetime) -> None:
    """A named bad rating opens a follow-up task for the hall manager of its centre."""
    if rating.is_named and rating.level in BAD_LEVELS:
        task = FollowUpTask.objects.create(
            rating=rating, centre_id=rating.centre_id, created_at=now
        )
        FOLLOW_UP.record(task, action=FollowUpAction.OPEN, actor=actor, from_state="", at=now)


@dataclass(frozen=True)
class CaseSubject:
    """A closed case (办件) as the cases app describes it to be rated: ratings sits below
    cases and keeps these facts, never a reference into its tables."""

    case_id: int
    number: str
    centre_id: int
    department_id: int
    item_key: str
    item_name: str
    person_id: int | None
    closed_on: date


@audited("ratings.rating.submit")
def case_rating_submit(
    *,
    actor: Citizen,
    subject: CaseSubject,
    level: Any,
    reasons: Iterable[str] = (),
    comment: str = "",
    now: datetime | None = None,
) -> Rating:
    """Rate a closed case, once. The caller (cases' `case_rate`) has checked that `actor`
    applied for it and that it is closed, with the case locked. The applicant is signed in,
    so the rating is named: a bad one opens a follow-up task for the hall manager of the
    centre that accepted the case, in the same transaction."""
    now = now or timezone.now()
    if Rating.objects.filter(case_id=subject.case_id).exists():
        raise Conflict(ErrorCode.ALREADY_RATED, _("This case has been rated. Thank you."))
    score = level_parse(level)
    chosen = _reasons_resolve(reasons, score)
    text = _comment_clean(comment)
    rating = Rating(
        case_id=subject.case_id,
        case_number=subject.number,
        department_id=subject.department_id,
        item_key=subject.item_key,
        item_name=subject.item_name[:200],
        centre_id=subject.centre_id,
        service_day=subject.closed_on,
        kind="case",
        level=score,
        comment=text,
        person_id=subject.person_id,
        is_named=True,
        created_at=now,
    )
    try:
        with transaction.atomic():
            rating.save(force_insert=True)
    except IntegrityError:
        raise Conflict(ErrorCode.ALREADY_RATED, _("This case has been rated. Thank you.")) from None
    rating.reasons.set(chosen)
    audit_record(
        actor=actor, action="ratings.rating.submit", obj=rating, after=rating_summary(rating)
    )
    _follow_up_open(rating, actor=actor, now=now)
    return rating


@audited("ratings.follow_up.start", timeline=True)
def follow_up_start(
    *, actor: StaffUser, task_id: int, note: str = "", now: datetime | None = None
) -> FollowUpTask:
    """The manager takes the task: they are now calling the rater back or looking into it."""
    now = now or timezone.now()
    task = selectors.access_follow_up(actor, task_id, for_update=True)
    return FOLLOW_UP.move(
        task,
        to=FollowUpState.IN_PROGRESS,
        action=FollowUpAction.START,
        actor=actor,
        at=now,
        fields={"handler": actor, "started_at": now},
        reason=_comment_clean(note)[:200],
    )


@audited("ratings.follow_up.close", timeline=True)
def follow_up_close(
    *, actor: StaffUser, task_id: int, resolution: str, now: datetime | None = None
) -> FollowUpTask:
    """Close the task with what was found and done (the resolution note)."""
    now = now or timezone.now()
    text = (resolution or "").strip()
    if not text:
        raise DomainError(
            ErrorCode.RESOLUTION_REQUIRED, _("Write what was found and done before closing.")
        )
    if len(text) > RESOLUTION_MAX_LENGTH or _has_control(text):
        raise DomainError(
            ErrorCode.INVALID_RESOLUTION,
            _("The resolution is longer than %(max)d characters.") % {"max": RESOLUTION_MAX_LENGTH},
        )
    task = selectors.access_follow_up(actor, task_id, for_update=True)
    return FOLLOW_UP.move(
        task,
        to=FollowUpState.CLOSED,
        action=FollowUpAction.CLOSE,
        actor=actor,
        at=now,
        fields={"resolution": text, "closed_at": now},
        reason=text,
    )


@audited("ratings.follow_up.contact_reveal", timeline=True)
def follow_up_contact_reveal(*, actor: StaffUser, task_id: int, reason: str) -> str:
    """The phone number the rater left, in full, for calling them back. The reason is kept
    in the task's timeline and the audit log, in the transaction that decrypts."""
    reason = " ".join((reason or "").split())[:REASON_MAX_LENGTH]
    if not reason:
        raise DomainError(
            ErrorCode.INVALID_CONTACT,
            _("Say why you need the full number; the reason is kept in the audit log."),
        )
    task = selectors.access_follow_up(actor, task_id)
    rating = task.rating
    if not rating.contact_phone_sealed:
        raise DomainError(ErrorCode.INVALID_CONTACT, _("The rater left no phone number."))
    FOLLOW_UP.record(task, action=FollowUpAction.CONTACT_REVEAL, actor=actor, reason=reason)
    return pii.reveal(rating, "contact_phone")
