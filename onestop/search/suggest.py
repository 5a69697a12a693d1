"""Suggestions as one types, and "did you mean" for a query that found (almost) nothing.

Suggestions come from the item names and the synonym terms of the current snapshot: names
that start with what was typed, then names that contain it; for latin letters, names whose
pinyin or initials start with it. Shorter and more widely offered names first.

"Did you mean" tries the whole query as it sounds (the dictionary words whose pinyin, run
together, is the query's), then, for each query word the index does not know: the word
with the same pinyin (a homophone typed by a pinyin keyboard: 社宝 → 社保), then a word of
the same length one character away (户口牵出 → 户口迁出; not for a common word, which is no
typo: 提取 is not a mistyped 领取), then, for latin letters, the words
the letters spell, the words they spell with the sounds people mix up made one (sebao →
社保), and the English words of the lexicon one or two keystrokes away (pasport →
passport). A correction is offered only if it finds more than the query did, or, for an
English query with a word the lexicon does not know, if it finds anything: the results of
such a query are only what its other words found.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from onestop.search.lexicon import Snapshot
from onestop.search.ranking import Plan, pinyin_split, pinyin_words
from onestop.search.text import (
    has_han,
    is_ascii_word,
    pinyin_full,
    pinyin_fuzzy,
    pinyin_initials,
    text_normalise,
)

# A word jieba's general dictionary counts at least this often is a word, not a typo, so no
# word one character away is offered for it.
COMMON_WORD_FREQ = 100


@dataclass(frozen=True)
class _Entry:
    text: str  # shown and inserted
    compact: str  # normalised, no spaces
    pinyin: str
    initials: str
    order: tuple[int, int, str]


def _entries(snapshot: Snapshot) -> list[_Entry]:
    cached = snapshot.cache.get("suggest")
    if cached is not None:
        return cached
    entries: list[_Entry] = []
    for term in snapshot.synonyms:
        compact = term.replace(" ", "")
        entries.append(
            _Entry(
                term,
                compact,
                pinyin_full(compact),
                pinyin_initials(compact),
                (len(compact), 0, term),
            )
        )
    for doc in snapshot.docs.values():
        compact = doc.key.replace(" ", "")
        entries.append(
            _Entry(
                doc.name,
                compact,
                doc.pinyin,
                doc.initials,
                (len(compact), -doc.instance_count, doc.name),
            )
        )
    entries.sort(key=lambda e: e.order)
    snapshot.cache["suggest"] = entries
    return entries


def _english_entries(snapshot: Snapshot) -> list[tuple[str, str]]:
    """(shown, normalised) English phrases of the lexicon and English item names, shorter
    first."""
    cached = snapshot.cache.get("suggest-en")
    if cached is not None:
        return cached
    texts = [*snapshot.english.phrases, *(en for _hant, en in snapshot.translations.values() if en)]
    entries = sorted(
        {(text, " ".join(text_normalise(text).split())) for text in texts},
        key=lambda e: (len(e[1]), e[1]),
    )
    snapshot.cache["suggest-en"] = entries
    return entries


def _english(snapshot: Snapshot, normalized: str) -> list[str]:
    """English phrases and item names that start with what was typed, then those with a
    word that does."""
    typed = " ".join(normalized.split())
    if len(typed) < 2:
        return []
    entries = _english_entries(snapshot)
    starts = [text for text, norm in entries if norm.startswith(typed)]
    within = [
        text for text, norm in entries if f" {typed}" in f" {norm}" and not norm.startswith(typed)
    ]
    return starts + within


def suggestions(
    snapshot: Snapshot, normalized: str, limit: int, *, english_first: bool = False
) -> list[str]:
    typed = normalized.replace(" ", "")
    entries = _entries(snapshot)
    if has_han(typed):
        starts = [e.text for e in entries if e.compact.startswith(typed)]
        within = [e.text for e in entries if typed in e.compact and not e.compact.startswith(typed)]
        found = starts + within
    elif is_ascii_word(typed):
        found = [e.text for e in entries if e.pinyin.startswith(typed)]
        found += [e.text for e in entries if e.initials.startswith(typed)]
        found += [e.text for e in entries if typed in e.compact]
        english = _english(snapshot, normalized)
        found = english + found if english_first else found + english
    else:
        found = [e.text for e in entries if e.compact.startswith(typed)]
    return list(dict.fromkeys(found))[:limit]


def _near(snapshot: Snapshot) -> dict[str, list[str]]:
    """Vocabulary words by each of their one-character-masked forms."""
    cached = snapshot.cache.get("near")
    if cached is not None:
        return cached
    near: dict[str, list[str]] = defaultdict(list)
    for word in sorted(snapshot.vocabulary, key=lambda w: (-snapshot.vocabulary[w], w)):
        for i in range(len(word)):
            near[f"{word[:i]}?{word[i + 1 :]}"].append(word)
    snapshot.cache["near"] = near
    return near


def _word_corrections(snapshot: Snapshot, word: str) -> Iterator[str]:
    if is_ascii_word(word):
        yield from pinyin_words(snapshot, word)
        # Pinyin with a sound mixed up (sebao → 社保), then an English word mistyped
        # (pasport → passport).
        yield from snapshot.by_fuzzy_pinyin.get(pinyin_fuzzy(word), ())[:2]
        yield from snapshot.english.nearest(word)
        return
    if not has_han(word) or len(word) < 2:
        return
    spoken = pinyin_full(word)
    for same in snapshot.by_pinyin.get(spoken, ()):
        if same != word:
            yield same
    for same in snapshot.by_fuzzy_pinyin.get(pinyin_fuzzy(spoken), ())[:2]:
        if same != word:
            yield same
    if snapshot.segmenter.freq.get(word, 0) >= COMMON_WORD_FREQ:
        # A common word is not a typo: 提取 is not a mistyped 领取.
        return
    near = _near(snapshot)
    for i in range(len(word)):
        for candidate in near.get(f"{word[:i]}?{word[i + 1 :]}", ())[:3]:
            if candidate != word:
                yield candidate


def _english_corrections(snapshot: Snapshot, plan: Plan) -> Iterator[str]:
    """An English query with each word the lexicon does not know replaced by the lexicon
    words it may be a typo of, or the Chinese words it may be pinyin for."""
    assert plan.english is not None
    words = plan.normalized.split()
    tried = 0
    for unknown in dict.fromkeys(plan.english.unknown_words()):
        for candidate in _word_corrections(snapshot, unknown):
            yield " ".join(candidate if w == unknown else w for w in words)
            tried += 1
            if tried >= 6:
                return


def corrections(snapshot: Snapshot, plan: Plan) -> Iterator[str]:
    """Whole corrected queries, most likely first; each word replaced on its own."""
    if plan.english is not None:
        yield from _english_corrections(snapshot, plan)
        return
    whole = plan.phrase
    if has_han(whole):
        # The whole query as it sounds (港奥通行政 → gangaotongxingzheng → 港澳通行证).
        spoken = pinyin_full(whole)
        for candidate in (*snapshot.by_pinyin.get(spoken, ())[:2], pinyin_split(snapshot, spoken)):
            if candidate and candidate != whole:
                yield candidate
    words = [group.word for group in plan.groups]
    tried = 0
    for index, word in enumerate(words):
        if word in snapshot.vocabulary or word in snapshot.synonyms:
            continue
        for candidate in _word_corrections(snapshot, word):
            yield " ".join([*words[:index], candidate, *words[index + 1 :]])
            tried += 1
            if tried >= 6:
                return
