"""Parsers for the values found in catalog files, real ones included.

Each parser takes the cell's text and returns a typed value, or raises `BadValue` with a
message a clerk can act on (what was found, what is expected). None of them touches the
database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from onestop.catalog.enums import (
    ITEM_LEVEL_ZH,
    ITEM_TYPE_ZH,
    LIMIT_UNIT_ZH,
    ONLINE_DEPTH_ZH,
    ItemLevel,
    LimitUnit,
    MaterialForm,
    MaterialRequirement,
)
from onestop.catalog.values import Limit

MULTI_SEPARATOR = "｜"
# The longest limit the catalog accepts: ten years of working days is a typing error.
MAX_LIMIT_VALUE = 2500
# Cells the Guangdong data writes when a field has no value.
EMPTY_MARKERS = frozenset({"", "无", "暂无", "/", "-", "—", "无线下办理窗口"})


class BadValue(ValueError):
    """A cell that cannot be read; the message names the value and what was expected."""


def clean(text: str | None) -> str:
    """NFKC-fold full-width digits and brackets, drop stray spaces at the ends."""
    if text is None:
        return ""
    return unicodedata.normalize("NFKC", text).strip()


def text_or_empty(text: str | None) -> str:
    """The cell's text, or "" for the markers the data uses for "none" (`无`)."""
    value = (text or "").strip()
    return "" if value in EMPTY_MARKERS else value


def split_multi(text: str | None) -> list[str]:
    """Values split by `｜` (also the ASCII `|`), blanks and repeats dropped, order kept."""
    seen: dict[str, None] = {}
    for part in re.split(r"[｜|]", text or ""):
        value = part.strip()
        if value and value not in EMPTY_MARKERS:
            seen.setdefault(value, None)
    return list(seen)


_UNIT_WORDS: dict[str, str] = {
    "工作日": LimitUnit.WORKING_DAYS,
    "个工作日": LimitUnit.WORKING_DAYS,
    "自然日": LimitUnit.NATURAL_DAYS,
    "个自然日": LimitUnit.NATURAL_DAYS,
    "日": LimitUnit.NATURAL_DAYS,
    "天": LimitUnit.NATURAL_DAYS,
    "小时": LimitUnit.HOURS,
    "个小时": LimitUnit.HOURS,
}
_IMMEDIATE_WORDS = frozenset({"即办", "即时办结", "当场办结", "立即办结", "即来即办"})
_NONE_WORDS = frozenset({"", "无", "暂无", "无时限", "不限"})
# `30(工作日)`, `30（工作日）`, `30个工作日`, `30 工作日`; NFKC has made brackets ASCII.
_LIMIT = re.compile(r"^(?P<number>[^()\s]*?)\s*(?:\((?P<unit>[^()]*)\)|(?P<bare>[^\d()]+))$")


def parse_limit(text: str | None, *, one_day_is_immediate: bool = False) -> Limit:
    """A time limit: `20(工作日)`, `5(自然日)`, `2(小时)`, `即办` or `无`.

    `one_day_is_immediate` reads `1(工作日)` as 即办: the Guangdong file records immediate
    items that way (its schema has no unit for "on the spot"). `0` of any unit is 即办 too.
    """
    value = clean(text)
    if value in _NONE_WORDS:
        return Limit.none()
    if value in _IMMEDIATE_WORDS:
        return Limit.immediate()
    match = _LIMIT.match(value)
    if match is None:
        raise BadValue(_expected_limit(value))
    unit_word = (match.group("unit") or match.group("bare") or "").strip()
    unit = _UNIT_WORDS.get(unit_word)
    if unit is None:
        raise BadValue(
            _("%(value)r has the unit %(unit)r; use 工作日, 自然日 or 小时")
            % {"value": value, "unit": unit_word}
        )
    number = match.group("number").strip()
    if not (number.isascii() and number.isdigit()):
        raise BadValue(_expected_limit(value))
    count = int(number)
    if count > MAX_LIMIT_VALUE:
        raise BadValue(
            _("%(value)r is longer than %(max)d days; check the number")
            % {"value": value, "max": MAX_LIMIT_VALUE}
        )
    if count == 0 or (one_day_is_immediate and count == 1 and unit == LimitUnit.WORKING_DAYS):
        return Limit.immediate()
    return Limit(count, unit)


def _expected_limit(value: str) -> str:
    return _(
        "%(value)r is not a time limit; write a whole number and a unit such as "
        "20(工作日), 5(自然日) or 2(小时), or 即办 or 无"
    ) % {"value": value}


def check_limits(statutory: Limit, promised: Limit) -> None:
    """A promise may be shorter than the law allows, never longer."""
    if (
        statutory.value is not None
        and promised.value is not None
        and statutory.unit == promised.unit
        and promised.value > statutory.value
    ):
        raise BadValue(
            _("the promised limit %(promised)s is longer than the statutory limit %(statutory)s")
            % {
                "promised": promised.as_source_text(),
                "statutory": statutory.as_source_text(),
            }
        )


def parse_count(text: str | None, *, what: str, maximum: int = 20) -> int:
    value = clean(text)
    if value in _NONE_WORDS:
        return 0
    if not (value.isascii() and value.isdigit()) or int(value) > maximum:
        raise BadValue(
            _("%(what)s %(value)r must be a whole number from 0 to %(max)d")
            % {"what": what, "value": value, "max": maximum}
        )
    return int(value)


_TRUE = frozenset({"是", "yes", "y", "true", "1", "支持", "可以"})
_FALSE = frozenset({"否", "no", "n", "false", "0", "不支持", "", "无"})


def parse_bool(text: str | None, *, what: str) -> bool:
    value = clean(text).lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise BadValue(
        _("%(what)s %(value)r must be yes or no (是/否)") % {"what": what, "value": value}
    )


def parse_fee_fen(text: str | None) -> int | None:
    """Fen as a whole number; empty means the source does not say."""
    value = clean(text)
    if value == "":
        return None
    if not (value.isascii() and value.isdigit()):
        raise BadValue(_("fee_fen %(value)r must be a whole number of fen") % {"value": value})
    return int(value)


def _choice(text: str | None, *, zh: dict[str, str], what: str) -> str:
    # Each vocabulary's `zh` table has every value as a key, so it stands for the enum.
    value = clean(text)
    if value in zh:
        return value
    for code, name in zh.items():
        if name == value:
            return code
    raise BadValue(
        _("%(what)s %(value)r is not one of: %(choices)s")
        % {"what": what, "value": value, "choices": "、".join(zh.values())}
    )


def parse_item_type(text: str | None) -> str:
    return _choice(text, zh=ITEM_TYPE_ZH, what="item type")


_LEVEL_SYNONYMS = {
    "省": ItemLevel.PROVINCE,
    "市": ItemLevel.CITY,
    "区": ItemLevel.DISTRICT,
    "区级": ItemLevel.DISTRICT,
    "县级": ItemLevel.DISTRICT,
    "镇级": ItemLevel.STREET,
    "街道级": ItemLevel.STREET,
    "乡镇级": ItemLevel.STREET,
    "乡镇（街道）级": ItemLevel.STREET,
    "村级": ItemLevel.COMMUNITY,
    "社区级": ItemLevel.COMMUNITY,
    "村（社区）级": ItemLevel.COMMUNITY,
}


def parse_level(text: str | None) -> str:
    value = clean(text)
    if value in _LEVEL_SYNONYMS:
        return _LEVEL_SYNONYMS[value]
    return _choice(value, zh=ITEM_LEVEL_ZH, what="level")


def parse_online_depth(text: str | None) -> str:
    return _choice(text, zh=ONLINE_DEPTH_ZH, what="online depth")


# The Guangdong file's service objects (服务对象): one natural-person label, the rest are
# organisations, which the catalog files together as legal persons.
NATURAL_PERSON_LABELS = frozenset({"自然人", "natural", "个人"})
LEGAL_PERSON_LABELS = frozenset(
    {
        "法人",
        "legal",
        "企业法人",
        "事业法人",
        "社会组织法人",
        "非法人企业",
        "行政机关",
        "其他组织",
        "企业",
        "机关事业单位",
    }
)


def parse_service_objects(text: str | None) -> tuple[bool, bool]:
    """(for natural persons, for legal persons) from `自然人｜企业法人｜...`."""
    natural = legal = False
    for label in split_multi(text):
        if label in NATURAL_PERSON_LABELS:
            natural = True
        elif label in LEGAL_PERSON_LABELS:
            legal = True
        else:
            raise BadValue(
                _("service object %(value)r is not known; use 自然人, 法人 or 企业法人 …")
                % {"value": label}
            )
    return natural, legal


# --- Materials -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MaterialValue:
    name: str
    requirement: str = MaterialRequirement.REQUIRED
    form: str = MaterialForm.UNSPECIFIED
    count: int = 1
    e_licence_type: str = ""
    held_by_government: bool = False
    note: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "requirement": self.requirement,
            "form": self.form,
            "count": self.count,
            "e_licence_type": self.e_licence_type,
            "held_by_government": self.held_by_government,
            "note": self.note,
        }


# Documents the province issues as e-licences (电子证照), by the names materials use.
E_LICENCE_TYPES: dict[str, str] = {
    "居民身份证": "居民身份证",
    "身份证": "居民身份证",
    "居民户口簿": "居民户口簿",
    "户口簿": "居民户口簿",
    "营业执照": "营业执照",
    "结婚证": "结婚证",
    "离婚证": "离婚证",
    "出生医学证明": "出生医学证明",
    "不动产权证书": "不动产权证书",
    "机动车驾驶证": "机动车驾驶证",
    "社会保障卡": "社会保障卡",
    "残疾人证": "残疾人证",
    "居住证": "广东省居住证",
    "广东省居住证": "广东省居住证",
}
_CONDITIONAL = re.compile(r"如有|若有|如需|（[^）]*的）$|\([^)]*的\)$|（[^）]*提供）$")
_FORMS: tuple[tuple[str, str], ...] = (
    ("原件及复印件", MaterialForm.ORIGINAL_AND_COPY),
    ("原件和复印件", MaterialForm.ORIGINAL_AND_COPY),
    ("复印件", MaterialForm.COPY),
    ("原件", MaterialForm.ORIGINAL),
)


def guess_material(name: str) -> MaterialValue:
    """A material from a bare name, as the Guangdong file gives it: conditional when the
    name says so (`授权委托书（委托办理的）`), original or copy when it says so, and the
    e-licence that can replace it when it is one the province issues."""
    name = name.strip().rstrip("；;。")
    form = next((form for word, form in _FORMS if word in name), MaterialForm.UNSPECIFIED)
    bare = re.sub(r"[《》]", "", name)
    bare = re.sub(r"(原件及复印件|原件和复印件|复印件|原件)$", "", bare)
    return MaterialValue(
        name=name,
        requirement=(
            MaterialRequirement.CONDITIONAL
            if _CONDITIONAL.search(name)
            else MaterialRequirement.REQUIRED
        ),
        form=form,
        e_licence_type=E_LICENCE_TYPES.get(bare, ""),
    )


def parse_plain_materials(text: str | None) -> list[MaterialValue]:
    """The Guangdong file's materials: names split by `｜`; `无` is none."""
    return [guess_material(name) for name in split_multi(text)]


# Native layout: `name{required;original;count=1;licence=居民身份证;held;note=...}`.
_FORM_TOKENS = {
    "original": MaterialForm.ORIGINAL,
    "copy": MaterialForm.COPY,
    "original+copy": MaterialForm.ORIGINAL_AND_COPY,
    "unspecified": MaterialForm.UNSPECIFIED,
}
_FORBIDDEN_IN_NAMES = re.compile(r"[{}｜|]")
_FORBIDDEN_IN_NOTES = re.compile(r"[{}｜|;]")


def parse_native_materials(text: str | None) -> list[MaterialValue]:
    materials: list[MaterialValue] = []
    for entry in split_multi(text):
        name, brace, attributes = entry.partition("{")
        name = name.strip()
        if not name:
            raise BadValue(_("material %(entry)r has no name") % {"entry": entry})
        if not brace:
            materials.append(MaterialValue(name=name))
            continue
        if not attributes.endswith("}"):
            raise BadValue(_("material %(entry)r: a '{' must close with '}'") % {"entry": entry})
        materials.append(_native_material(name, attributes[:-1], entry))
    return materials


def _native_material(name: str, attributes: str, entry: str) -> MaterialValue:
    fields: dict[str, object] = {"name": name}
    for raw in attributes.split(";"):
        token = raw.strip()
        key, equals, value = token.partition("=")
        key = key.strip().lower()
        value = value.strip()
        if not token:
            continue
        if key in (MaterialRequirement.REQUIRED, MaterialRequirement.CONDITIONAL) and not equals:
            fields["requirement"] = key
        elif key in _FORM_TOKENS and not equals:
            fields["form"] = _FORM_TOKENS[key]
        elif key == "held" and not equals:
            fields["held_by_government"] = True
        elif key == "count" and value.isascii() and value.isdigit() and 1 <= int(value) <= 99:
            fields["count"] = int(value)
        elif key == "licence" and equals:
            fields["e_licence_type"] = value
        elif key == "note" and equals:
            fields["note"] = value
        else:
            raise BadValue(
                _(
                    "material %(entry)r: %(token)r is not understood; use required or "
                    "conditional, original, copy or original+copy, count=N, licence=..., "
                    "held, note=..."
                )
                % {"entry": entry, "token": token}
            )
    return MaterialValue(**fields)  # type: ignore[arg-type]


def format_native_materials(materials: list[MaterialValue]) -> str:
    """The inverse of `parse_native_materials`: every attribute written out."""
    entries = []
    for material in materials:
        form = next(token for token, form in _FORM_TOKENS.items() if form == material.form)
        tokens = [material.requirement, form, f"count={material.count}"]
        if material.e_licence_type:
            tokens.append(f"licence={material.e_licence_type}")
        if material.held_by_government:
            tokens.append("held")
        if material.note:
            tokens.append(f"note={material.note}")
        entries.append(f"{material.name}{{{';'.join(tokens)}}}")
    return MULTI_SEPARATOR.join(entries)


def check_material(material: MaterialValue) -> None:
    """Names and notes are written into the native layout, so they may not hold its
    delimiters."""
    if not material.name or _FORBIDDEN_IN_NAMES.search(material.name):
        raise BadValue(
            _("material name %(value)r must be non-empty without {, }, ｜ or |")
            % {"value": material.name}
        )
    if _FORBIDDEN_IN_NOTES.search(material.note) or _FORBIDDEN_IN_NOTES.search(
        material.e_licence_type
    ):
        raise BadValue(
            _("material %(value)r: its note and licence may not contain {, }, ｜, | or ;")
            % {"value": material.name}
        )


__all__ = [
    "LIMIT_UNIT_ZH",
    "BadValue",
    "MaterialValue",
    "check_limits",
    "check_material",
    "clean",
    "format_native_materials",
    "guess_material",
    "parse_bool",
    "parse_count",
    "parse_fee_fen",
    "parse_item_type",
    "parse_level",
    "parse_limit",
    "parse_native_materials",
    "parse_online_depth",
    "parse_plain_materials",
    "parse_service_objects",
    "split_multi",
    "text_or_empty",
]
