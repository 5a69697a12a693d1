"""Who may change search vocabulary and read what people search for. Deny by default."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from onestop.catalog import policies as catalog_policies
from onestop.catalog.enums import ErrorCode
from onestop.core.errors import PermissionDenied


def can_edit_synonyms(actor: Any) -> bool:
    # The synonym table is city-wide vocabulary, like the catalog's themes: platform admins.
    return catalog_policies.can_manage_department_items(actor, None)


def require_edit_synonyms(actor: Any) -> None:
    if not can_edit_synonyms(actor):
        raise PermissionDenied(ErrorCode.NOT_ALLOWED, _("Only platform admins edit synonyms."))


def can_edit_translations(actor: Any) -> bool:
    # Items' names in other languages are city-wide vocabulary too.
    return can_edit_synonyms(actor)


def require_edit_translations(actor: Any) -> None:
    if not can_edit_translations(actor):
        raise PermissionDenied(
            ErrorCode.NOT_ALLOWED, _("Only platform admins edit items' translated names.")
        )


def can_read_search_log(actor: Any) -> bool:
    """Staff who keep the catalog (platform admins and departments' approvers) read what
    people search for; it is how they find missing items and synonyms."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and catalog_policies.managed_department_ids(actor) != set()
    )
