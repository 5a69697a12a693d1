"""`{{ obj|tr:"name" }}`: a field of a row in the reader's language (core.i18n)."""

from typing import Any

from django import template

from onestop.core.i18n import translated

register = template.Library()


@register.filter(name="tr")
def tr(obj: Any, field: str) -> str:
    return translated(obj, field)
