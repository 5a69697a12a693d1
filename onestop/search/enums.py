"""The search app's vocabularies: synonym kinds, search channels, error codes."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class SynonymKind(models.TextChoices):
    # Another word for the same thing (开饭店 → 餐饮 食品经营许可).
    SYNONYM = "synonym", _("Synonym")
    # A shortened form (社保 → 社会保险).
    ABBREVIATION = "abbreviation", _("Abbreviation")
    # An English word or phrase for Chinese terms (marriage registration → 结婚登记), laid
    # over the lexicon shipped in data/lexicon_en.txt.
    ENGLISH = "english", _("English term")


class SearchChannel(models.TextChoices):
    """Where a search came from, for the search log."""

    WEB = "web", _("Web page")
    API = "api", _("API")
    KIOSK = "kiosk", _("Kiosk")
    SUGGEST = "suggest", _("Suggestions")


class ErrorCode(StrEnum):
    EMPTY_QUERY = "search_empty_query"
    QUERY_TRUNCATED = "search_query_truncated"
    INVALID_SYNONYM = "search_invalid_synonym"
    UNKNOWN_INDEX_ACTION = "search_unknown_index_action"
    SYNONYM_NOT_FOUND = "search_synonym_not_found"
    TRANSLATION_NOT_FOUND = "search_translation_not_found"
