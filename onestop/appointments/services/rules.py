"""Setting a centre's own booking rules (the rest come from settings: rules.py)."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.utils.translation import gettext as _

from onestop.appointments import policies
from onestop.appointments.enums import ErrorCode
from onestop.appointments.models import CentreRules
from onestop.appointments.policies import Perm
from onestop.centres.selectors import centre_get_by_id
from onestop.core.audit import audit_record
from onestop.core.errors import DomainError
from onestop.core.service import audited
from onestop.identity.actors import StaffUser

FIELDS = (
    "open_days_ahead",
    "open_time",
    "cancel_cutoff_minutes",
    "release_hold_minutes",
    "checkin_early_minutes",
    "checkin_late_minutes",
)
LIMITS = {
    "open_days_ahead": 90,
    "cancel_cutoff_minutes": 7 * 24 * 60,
    "release_hold_minutes": 24 * 60,
    "checkin_early_minutes": 240,
    "checkin_late_minutes": 240,
}


def _summary(rules: CentreRules) -> dict[str, Any]:
    return {
        field: (value.isoformat() if isinstance(value, time) else value)
        for field in FIELDS
        if (value := getattr(rules, field)) is not None
    }


@audited("appointments.centre_rules.set")
def centre_rules_set(*, actor: StaffUser, centre_id: int, **values: Any) -> CentreRules:
    """Override some of a centre's booking rules; None puts a rule back to the setting."""
    centre = centre_get_by_id(centre_id)
    policies.RULES.require(actor, Perm.MANAGE_CENTRE, centre.place)
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise DomainError(
            ErrorCode.INVALID_RULES,
            _("Unknown rules: %(names)s.") % {"names": ", ".join(sorted(unknown))},
        )
    for field, limit in LIMITS.items():
        value = values.get(field)
        if value is not None and not 0 <= int(value) <= limit:
            raise DomainError(
                ErrorCode.INVALID_RULES,
                _("%(field)s must be between 0 and %(limit)d.") % {"field": field, "limit": limit},
            )
    rules, _created = CentreRules.objects.select_for_update().get_or_create(centre=centre)
    before = _summary(rules)
    for field, value in values.items():
        setattr(rules, field, value)
    rules.save()
    audit_record(
        actor=actor,
        action="appointments.centre_rules.set",
        obj=rules,
        before=before,
        after=_summary(rules),
    )
    return rules
