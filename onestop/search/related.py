"""What a search that found nothing still offers: items whose names look like what was asked
(shared pairs of characters, so 宠物狗办证 still meets the names with 办证, and an English
query meets the names its Chinese terms resemble), and the life events and topics the
query or those items belong to.

Names are compared as sets of character pairs (bigrams), each weighted by its rarity among
item names, so a shared 公积 counts for more than a shared 申请. This runs only on the few
searches that find nothing, in Python on the process's snapshot, the same on every
database.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from onestop.search.english import content_words, word_forms
from onestop.search.lexicon import Doc, Snapshot
from onestop.search.ranking import Plan
from onestop.search.text import has_han, text_normalise

# A name must share this much of what was asked (by rarity) to be offered as similar.
MIN_SIMILARITY = 0.34
SIMILAR_LIMIT = 5
THEME_LIMIT = 4
# Alternatives weaker than this (the parts inside a word) are not what was asked.
MIN_WEIGHT = 0.85


def _bigrams(text: str) -> set[str]:
    compact = text.replace(" ", "")
    return {compact[i : i + 2] for i in range(len(compact) - 1) if has_han(compact[i : i + 2])}


@dataclass(frozen=True)
class _Bigrams:
    postings: dict[str, frozenset[int]]
    idf: dict[str, float]
    default_idf: float


def _index(snapshot: Snapshot) -> _Bigrams:
    cached = snapshot.cache.get("bigrams")
    if cached is None:
        postings: dict[str, set[int]] = defaultdict(set)
        for doc in snapshot.docs.values():
            for gram in _bigrams(doc.compact):
                postings[gram].add(doc.id)
        total = max(len(snapshot.docs), 1)
        cached = _Bigrams(
            {g: frozenset(ids) for g, ids in postings.items()},
            {g: math.log(1 + total / len(ids)) for g, ids in postings.items()},
            math.log(1 + total),
        )
        snapshot.cache["bigrams"] = cached
    return cached


def similar_documents(
    snapshot: Snapshot, plan: Plan, allowed: frozenset[int] | None, limit: int = SIMILAR_LIMIT
) -> list[tuple[Doc, float]]:
    """Documents whose names share the most (by rarity) of what each query word means,
    averaged over the words as the ranking does; best first."""
    index = _index(snapshot)
    totals: dict[int, float] = defaultdict(float)
    weights = 0.0
    for group in plan.groups:
        best: dict[int, float] = {}
        asked = False
        for alternative in group.alternatives:
            grams = _bigrams(alternative.phrase)
            if alternative.weight < MIN_WEIGHT or not grams:
                continue
            asked = True
            mass = sum(index.idf.get(g, index.default_idf) for g in grams)
            shared: dict[int, float] = defaultdict(float)
            for gram in grams:
                for doc_id in index.postings.get(gram, ()):
                    shared[doc_id] += index.idf[gram]
            for doc_id, value in shared.items():
                share = alternative.weight * value / mass
                if share > best.get(doc_id, 0.0):
                    best[doc_id] = share
        if not asked:
            continue
        weights += group.importance
        for doc_id, share in best.items():
            totals[doc_id] += group.importance * share
    if not weights:
        return []
    found = [
        (snapshot.docs[doc_id], value / weights)
        for doc_id, value in totals.items()
        if (allowed is None or doc_id in allowed) and value / weights >= MIN_SIMILARITY
    ]
    found.sort(key=lambda pair: (-pair[1], pair[0].key))
    return found[:limit]


@dataclass(frozen=True)
class ThemeName:
    code: str
    name: str
    name_hant: str
    name_en: str
    kind: str
    aliases: tuple[str, ...]


def _english_words(text: str) -> set[str]:
    return {form for word in content_words(text) for form in word_forms(word)}


def related_themes(
    plan: Plan,
    themes: Iterable[ThemeName],
    similar_theme_codes: Iterable[str],
    limit: int = THEME_LIMIT,
) -> list[ThemeName]:
    """The life events and topics a query names (its Chinese words or terms in a theme's
    name or aliases, or its English words in the theme's English name), then those the
    similar items are filed under, most of them first; life events before topics."""
    said = [a.phrase for g in plan.groups for a in g.alternatives if a.weight >= MIN_WEIGHT]
    said = [p for p in said if len(p) >= 2 and has_han(p)]
    english = _english_words(plan.normalized) if plan.english else set()
    counts = Counter(similar_theme_codes)
    ranked: list[tuple[int, int, int, int, ThemeName]] = []
    for position, theme in enumerate(themes):
        names = [text_normalise(n).replace(" ", "") for n in (theme.name, *theme.aliases)]
        named = any(p in n or n in p for p in said for n in names if n)
        named = named or bool(english & _english_words(theme.name_en))
        if not named and not counts.get(theme.code):
            continue
        life_event = 0 if theme.kind == "life_event" else 1
        order = (0 if named else 1, -counts.get(theme.code, 0), life_event, position)
        ranked.append((*order, theme))
    ranked.sort(key=lambda row: row[:4])
    return [row[-1] for row in ranked[:limit]]
