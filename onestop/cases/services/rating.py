"""Rating a closed case (好差评), by its applicant, once: docs/decisions/0034.

Ratings sits below cases and owns ratings, their reasons and the follow-up of bad named ones;
this service checks the case (the applicant's own, closed, locked), asks ratings to store the
rating with the facts of the case it keeps, and writes the rating on the case's timeline, in
one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils import timezone

from onestop.cases import selectors
from onestop.cases.enums import CASE, CaseAction
from onestop.cases.models import Case
from onestop.cases.policies import Perm
from onestop.core.service import audited
from onestop.identity.actors import Citizen
from onestop.ratings import services as ratings


@audited("cases.case.rate", timeline=True)
def case_rate(
    *,
    actor: Citizen,
    case_id: int,
    level: Any,
    reasons: Iterable[str] = (),
    comment: str = "",
    now: datetime | None = None,
) -> Case:
    """The applicant rates their closed case. Someone else's case is not found; a case still
    open, or already rated, is refused and nothing changes."""
    now = now or timezone.now()
    case = selectors.access_case(actor, case_id, Perm.APPLY, for_update=True)
    refusal = selectors.case_rating_refusal(case)
    if refusal is not None:
        raise refusal
    assert case.centre_id is not None and case.closed_at is not None  # checked above
    rating = ratings.case_rating_submit(
        actor=actor,
        subject=ratings.CaseSubject(
            case_id=case.pk,
            number=case.number or "",
            centre_id=case.centre_id,
            department_id=case.department_id,
            item_key=case.item_key,
            item_name=case.item_name,
            person_id=case.applicant_person_id,
            closed_on=timezone.localdate(case.closed_at),
        ),
        level=level,
        reasons=reasons,
        comment=comment,
        now=now,
    )
    CASE.record(
        case,
        action=CaseAction.RATE,
        actor=actor,
        at=now,
        detail={"level": rating.level},
    )
    return case
