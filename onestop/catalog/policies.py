"""Who may change the catalog (core.access). Deny by default.

A department's approvers draft, review, publish and withdraw its items; platform admins do so
for every item, including the provincial ones, which belong to no department of the city, and
keep the city-wide vocabulary (themes, synonyms). Everyone may read what is published.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from onestop.core.access import Permissions, Role, Rule


class Perm(StrEnum):
    MANAGE_ITEMS = "catalog.manage_items"
    MANAGE_VOCABULARY = "catalog.manage_vocabulary"


RULES = Permissions(
    {
        Perm.MANAGE_ITEMS: Rule(
            scoped={Role.DEPARTMENT_APPROVER},
            anywhere={Role.PLATFORM_ADMIN},
            denied=_("You may not change this department's service items."),
        ),
        Perm.MANAGE_VOCABULARY: Rule(
            anywhere={Role.PLATFORM_ADMIN}, denied=_("Only platform admins do this.")
        ),
    }
)
