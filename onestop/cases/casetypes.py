"""Case types as configuration: an item's `CaseType` row if it has one, else the defaults of
its item type, so every item of the catalog can be applied for without hand setup.

Defaults (docs/decisions/0022-cases.md): 审查 → 决定, the applicant told of the decision;
retention by what the result is worth keeping: a licence granted is kept permanently
(永久), a refused licence and the other powers' decisions 30 years (30年), everything
else 10 years (10年).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from onestop.cases.enums import CaseResult, ErrorCode, Retention, StepKind
from onestop.cases.models import CaseType
from onestop.core.errors import DomainError

DEFAULT_STEPS: tuple[str, ...] = (StepKind.EXAMINE, StepKind.DECIDE)
DEFAULT_NOTIFY: tuple[str, ...] = (StepKind.DECIDE,)

# Item types (catalog.enums.ItemType values) whose decisions are powers of the administration.
_POWERS = {"licensing", "confirmation", "payment", "adjudication", "reward", "other_power"}


@dataclass(frozen=True)
class CaseTypeSpec:
    steps: tuple[str, ...]
    notify_steps: tuple[str, ...]
    retention: dict[str, str]


def default_retention(item_type: str) -> dict[str, str]:
    granted = Retention.PERMANENT if item_type == "licensing" else Retention.YEARS_30
    decided = Retention.YEARS_30 if item_type in _POWERS else Retention.YEARS_10
    if item_type not in _POWERS:
        granted = Retention.YEARS_10
    return {
        CaseResult.APPROVED: granted,
        CaseResult.APPROVED_WITH_CONDITIONS: granted,
        CaseResult.REFUSED: decided,
        CaseResult.NOT_ACCEPTED: Retention.YEARS_10,
        CaseResult.WITHDRAWN: Retention.YEARS_10,
    }


def spec_validate(steps: list[str], notify_steps: list[str], retention: dict[str, str]) -> None:
    if not steps or steps[-1] != StepKind.DECIDE or steps.count(StepKind.DECIDE) != 1:
        raise DomainError(ErrorCode.INVALID_RESULT, _("A case type's steps end with one decision."))
    unknown = [s for s in [*steps, *notify_steps] if s not in StepKind.values]
    unknown += [r for r in retention if r not in CaseResult.values]
    unknown += [v for v in retention.values() if v not in Retention.values]
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_RESULT,
            _("Unknown step, result or retention: %(value)s.") % {"value": unknown[0]},
        )


def case_type_for(item_key: str, item_type: str) -> CaseTypeSpec:
    row = CaseType.objects.filter(item_key=item_key).first()
    retention = default_retention(item_type)
    if row is None:
        return CaseTypeSpec(DEFAULT_STEPS, DEFAULT_NOTIFY, retention)
    return CaseTypeSpec(
        tuple(row.steps) or DEFAULT_STEPS,
        tuple(row.notify_steps),
        {**retention, **row.retention},
    )
