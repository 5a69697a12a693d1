"""Category suggestions from a caller's words, behind an interface: a trained classifier can
replace the keyword method without the console changing.

The keyword method is explainable: a class scores one point for each of its words (its own
name, the words an administrator gave it, and the packaged words below) found in the text,
and the console shows which words matched."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from onestop.hotline.models import Category

# Everyday words for common classes, by the class's (third-level) name.
PACKAGED_KEYWORDS: dict[str, tuple[str, ...]] = {
    "噪音污染": ("噪音", "噪声", "扰民", "吵", "打桩", "夜间施工", "广场舞", "喇叭"),
    "大气污染": ("废气", "油烟", "烟尘", "臭味", "焚烧", "扬尘"),
    "水污染": ("污水", "排污", "河涌", "黑臭", "偷排"),
    "环境卫生": ("垃圾", "清扫", "卫生", "粪便", "脏"),
    "城管执法": ("占道", "违建", "乱摆卖", "流动摊贩", "违章搭建"),
    "城市公共设施": ("路灯", "井盖", "护栏", "公厕"),
    "自来水供应": ("停水", "水压", "自来水", "水表"),
    "电力供应": ("停电", "电压", "供电"),
    "燃气供应": ("燃气", "煤气", "漏气"),
    "公共汽车": ("公交", "巴士", "公交车", "站台"),
    "地铁城铁": ("地铁", "轻轨"),
    "小区管理": ("物业", "小区", "业委会"),
}


@dataclass(frozen=True)
class Suggestion:
    category: Category
    score: float
    matched: tuple[str, ...]


class CategorySuggester(Protocol):
    def suggest(self, text: str, *, limit: int = 3) -> Sequence[Suggestion]: ...


def _words(category: Category) -> Iterable[str]:
    if category.name != "其他":
        yield category.name
    yield from (w.strip() for w in category.keywords.splitlines() if w.strip())
    yield from PACKAGED_KEYWORDS.get(category.name, ())


class KeywordSuggester:
    """Counts each class's words in the text; ties go to the lower code."""

    def __init__(self, categories: Iterable[Category] | None = None) -> None:
        self._categories = list(categories) if categories is not None else None

    def categories(self) -> list[Category]:
        if self._categories is None:
            self._categories = list(
                Category.objects.filter(level=3, is_active=True).select_related("parent__parent")
            )
        return self._categories

    def suggest(self, text: str, *, limit: int = 3) -> list[Suggestion]:
        text = text or ""
        found = []
        for category in self.categories():
            matched = tuple(dict.fromkeys(w for w in _words(category) if w and w in text))
            if matched:
                found.append(Suggestion(category, float(len(matched)), matched))
        found.sort(key=lambda s: (-s.score, s.category.code))
        return found[:limit]


def default_suggester() -> CategorySuggester:
    return KeywordSuggester()
