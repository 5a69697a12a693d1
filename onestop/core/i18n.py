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

from collections.abc import Mapping
from enum import StrEnum
from functools import lru_cache
from typing import Any

import opencc
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from onestop.core.errors import DomainError

TRADITIONAL = "zh-hant"
ENGLISH = "en"


def translations_field() -> models.JSONField[Any, Any]:
    return models.JSONField(
        default=dict,
        blank=True,
        help_text='Other languages of the field beside it: {"en": "...", "zh-hant": "..."}. '
        "Traditional Chinese, when absent, is converted from the Simplified text.",
    )


def translations_clean(
    value: Mapping[str, str] | None, *, max_length: int, code: StrEnum | str
) -> dict[str, str]:
    """The translations a service was given, whitespace collapsed and empty ones dropped;
    a language other than the two we translate into, or a text too long, is refused with
    `code`."""
    given = {lang: " ".join(str(text).split()) for lang, text in (value or {}).items()}
    unknown = set(given) - {ENGLISH, TRADITIONAL}
    if unknown:
        raise DomainError(
            code, _("Unknown languages: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
        )
    if any(len(text) > max_length for text in given.values()):
        raise DomainError(
            code, _("A translation has at most %(max)d characters.") % {"max": max_length}
        )
    return {lang: text for lang, text in given.items() if text}


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
