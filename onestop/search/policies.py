"""Who may change search vocabulary and read what people search for (core.access)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from onestop.core.access import Permissions, Role, Rule


class Perm(StrEnum):
    EDIT_SYNONYMS = "search.edit_synonyms"
    EDIT_TRANSLATIONS = "search.edit_translations"
    READ_LOG = "search.read_log"


RULES = Permissions(
    {
        # The synonym table is city-wide vocabulary, like the catalog's themes.
        Perm.EDIT_SYNONYMS: Rule(
            anywhere={Role.PLATFORM_ADMIN}, denied=_("Only platform admins edit synonyms.")
        ),
        # Items' names in other languages are city-wide vocabulary too.
        Perm.EDIT_TRANSLATIONS: Rule(
            anywhere={Role.PLATFORM_ADMIN},
            denied=_("Only platform admins edit items' translated names."),
        ),
        # Staff who keep the catalog read what people search for: it is how they find
        # missing items and synonyms.
        Perm.READ_LOG: Rule(anywhere={Role.PLATFORM_ADMIN, Role.DEPARTMENT_APPROVER}),
    }
)
