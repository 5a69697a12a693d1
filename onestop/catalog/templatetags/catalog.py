"""How catalog values read on a page: limits in plain words, fees in yuan, materials."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onestop.catalog.enums import MaterialForm
from onestop.catalog.models import Material, ServiceItem

register = template.Library()


@register.filter
def promised_words(item: ServiceItem) -> str:
    """`Promised: 5 working days`, `Done on the spot`, or the statutory limit when no
    promise is stated."""
    promised, statutory = item.promised_limit, item.statutory_limit
    if promised.is_immediate or (not promised.is_stated and statutory.is_immediate):
        return _("Done on the spot")
    if promised.is_stated:
        return _("Promised: %(limit)s") % {"limit": promised.in_words()}
    if statutory.is_stated:
        return _("By law: %(limit)s") % {"limit": statutory.in_words()}
    return _("No time limit stated")


@register.filter
def statutory_words(item: ServiceItem) -> str:
    return item.statutory_limit.in_words()


@register.filter
def fee_words(item: ServiceItem) -> str:
    if item.fee_fen is None:
        return item.fee_note or _("Not stated")
    if item.fee_fen == 0:
        return _("Free")
    yuan = f"{item.fee_fen // 100}.{item.fee_fen % 100:02d}"
    return _("%(yuan)s yuan") % {"yuan": yuan}


@register.filter
def visits_words(item: ServiceItem) -> str:
    if item.visits_required == 0:
        return _("No visit needed")
    return ngettext(
        "You go in person %(count)d time", "You go in person %(count)d times", item.visits_required
    ) % {"count": item.visits_required}


@register.filter
def material_form(material: Material) -> str:
    """`1 original`, `2 copies`, `original and copy`, or "" when the source does not say."""
    count = material.count
    if material.form == MaterialForm.ORIGINAL:
        return ngettext("%(count)d original", "%(count)d originals", count) % {"count": count}
    if material.form == MaterialForm.COPY:
        return ngettext("%(count)d copy", "%(count)d copies", count) % {"count": count}
    if material.form == MaterialForm.ORIGINAL_AND_COPY:
        return _("original and copy")
    return ""
