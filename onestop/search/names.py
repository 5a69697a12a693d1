"""Items' names in the languages of the interface: the English names shipped with the code
(`data/item_names_en.tsv`, loaded into `ItemTranslation` by migration 0005 and edited in the
admin afterwards), and the name to show for an item in a given language."""

from __future__ import annotations

from pathlib import Path

from onestop.search.text import text_traditional

ITEM_NAMES_PATH = Path(__file__).resolve().parent / "data" / "item_names_en.tsv"


def item_names_read(path: Path = ITEM_NAMES_PATH) -> list[tuple[str, str]]:
    """(zh-Hans name, English name) rows; `#` lines are comments. Raises ValueError naming
    the line of a row that is not two non-empty cells separated by one tab, or a name given
    twice."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 2 or not all(c.strip() for c in cells):
            raise ValueError(f"{path.name} line {number}: expected `name<TAB>English name`")
        name, english = (c.strip() for c in cells)
        if name in seen:
            raise ValueError(f"{path.name} line {number}: {name} is named twice")
        seen.add(name)
        rows.append((name, english))
    return rows


def name_in_language(name: str, name_hant: str, name_en: str, language: str) -> str:
    """The item's name to show in `language` (a Django language code): the English name
    where there is one, zh-Hant as written or else converted, else the catalog's."""
    language = (language or "").lower()
    if language.startswith("en"):
        return name_en or name
    if language in ("zh-hant", "zh-tw", "zh-hk"):
        return name_hant or text_traditional(name)
    return name
