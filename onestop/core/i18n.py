"""Data that people read, in the reader's language.

The interface is translated through gettext; data (a centre's name, a hall category, a work
profile, a life event, a licence type) is translated here. A model with readable text keeps
its Simplified Chinese in the field itself and the other languages in one JSON column:

    name = models.CharField(max_length=100)
    name_i18n = translations_field()          # {"en": "Tianhe District Service Centre"}

and everything that shows it asks `translated(centre, "name")` (templates: `{{ centre|tr:"name" }}`,
from `{% load i18n_data %}`). Traditional Chinese falls back to an OpenCC conversion of the
Simplified text, which is right for almost every name; English falls back to the Chinese, so
an untranslated name is still a name.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import opencc
from django.db import models
from django.utils import translation

TRADITIONAL = "zh-hant"
ENGLISH = "en"


def translations_field() -> models.JSONField[Any, Any]:
    return models.JSONField(
        default=dict,
        blank=True,
        help_text='Other languages of the field beside it: {"en": "...", "zh-hant": "..."}. '
        "Traditional Chinese, when absent, is converted from the Simplified text.",
    )


@lru_cache(maxsize=4096)
def to_traditional(text: str) -> str:
    return _converter().convert(text)


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def translate_text(text: str, translations: dict[str, str] | None, language: str = "") -> str:
    """`text` (Simplified Chinese) in `language` (the active one by default)."""
    language = (language or translation.get_language() or "").lower()
    given = (translations or {}).get(language, "").strip()
    if given:
        return given
    if language == TRADITIONAL:
        return to_traditional(text)
    return text


def translated(obj: Any, field: str, language: str = "") -> str:
    """The field of `obj` in `language` (the active one by default), from `<field>_i18n`."""
    return translate_text(
        str(getattr(obj, field, "") or ""), getattr(obj, f"{field}_i18n", None), language
    )
