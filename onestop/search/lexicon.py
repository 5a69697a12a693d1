"""What each process keeps of the index between searches: the segmenter with the domain
dictionary, the documents' tokens by field, document frequencies, synonyms, the English
lexicon, the items' translated names, and the maps from pinyin and initials back to words.

A snapshot belongs to one index generation and one state of the synonym and translation
tables; every search asks the database for them (one short query) and rebuilds the
snapshot when any moved, so a change made by another process is seen by the next search.
"""

from __future__ import annotations

import math
import sys
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from onestop.search.english import EnglishLexicon, lexicon_build
from onestop.search.enums import SynonymKind
from onestop.search.models import ItemTranslation, SearchDocument, SearchIndexState, Synonym
from onestop.search.segment import DOMAIN_WORD_FREQ, Segmenter, segmenter_load
from onestop.search.text import (
    has_han,
    pinyin_full,
    pinyin_fuzzy,
    pinyin_initials,
    text_normalise,
)

# Bits of a token's field mask, and each field's weight in the score.
NAME, ALIAS, THEME, DEPARTMENT, MATERIAL, CONDITION = 1, 2, 4, 8, 16, 32
FIELDS: tuple[tuple[int, str, str], ...] = (
    (NAME, "name", "name_tokens"),
    (ALIAS, "aliases", "alias_tokens"),
    (THEME, "themes", "theme_tokens"),
    (DEPARTMENT, "department", "department_tokens"),
    (MATERIAL, "materials", "material_tokens"),
    (CONDITION, "conditions", "condition_tokens"),
)
FIELD_WEIGHT: dict[int, float] = {
    NAME: 10.0,
    ALIAS: 6.0,
    THEME: 3.0,
    DEPARTMENT: 3.0,
    MATERIAL: 2.0,
    CONDITION: 1.0,
}
# The best field weight of every mask, looked up rather than computed per token.
MASK_WEIGHT: tuple[float, ...] = tuple(
    max((w for bit, w in FIELD_WEIGHT.items() if mask & bit), default=0.0) for mask in range(64)
)
SYNONYM_WORD_FREQ = DOMAIN_WORD_FREQ * 5

# What an item's name says it does. Someone who names a thing usually wants to get it:
# items that apply for something gain a little in ranking; items that only inform (查询,
# 公示 ...) or undo something (注销, 作废 ...) lose a little, unless the query asks for that.
APPLY, INFO, UNDO = 1, 2, 4
APPLY_WORDS = ("新办", "申请", "申领", "初次", "首次", "核发", "办理", "设立")
INFO_ENDINGS = ("查询", "公示", "公布", "公告", "发布", "名单", "名录")
UNDO_WORDS = ("注销", "作废", "撤销", "终止", "暂停")


def name_intent(compact: str) -> int:
    intent = APPLY if any(w in compact for w in APPLY_WORDS) else 0
    if compact.endswith(INFO_ENDINGS):
        intent |= INFO
    if any(w in compact for w in UNDO_WORDS):
        intent |= UNDO
    return intent


@dataclass(frozen=True)
class Doc:
    id: int
    key: str
    name: str
    instance_count: int
    tokens: dict[str, int]  # token -> mask of the fields it occurs in
    pinyin: str
    initials: str
    compact: str  # the normalised name without spaces
    # What the name says the item does (see ranking.APPLY_WORDS ...): bits APPLY, INFO, UNDO.
    intent: int


@dataclass
class Snapshot:
    stamp: tuple[Any, ...]
    segmenter: Segmenter
    docs: dict[int, Doc]
    idf: dict[str, float]
    default_idf: float
    synonyms: dict[str, tuple[str, ...]]
    by_pinyin: dict[str, tuple[str, ...]]
    by_initials: dict[str, tuple[str, ...]]
    # The same words by their pinyin with the sounds people mix up made one (zh/z, n/l ...).
    by_fuzzy_pinyin: dict[str, tuple[str, ...]]
    # Words of the names and synonym terms, most frequent first (did you mean).
    vocabulary: dict[str, int]
    english: EnglishLexicon
    # Document key -> (zh-Hant name, English name), either may be empty.
    translations: dict[str, tuple[str, str]]
    regions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Derived lookups (filter results, suggestion lists) that live as long as the snapshot.
    cache: dict[Any, Any] = field(default_factory=dict)

    def token_idf(self, token: str) -> float:
        return self.idf.get(token, self.default_idf)


class _Process:
    lock = threading.Lock()
    snapshot: Snapshot | None = None


def _stamp() -> tuple[Any, ...]:
    state = SearchIndexState._meta.db_table
    synonym = Synonym._meta.db_table
    translation = ItemTranslation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(generation) FROM {state}),"  # noqa: S608 - model table names
            f" (SELECT COUNT(*) FROM {synonym}), (SELECT MAX(updated_at) FROM {synonym}),"
            f" (SELECT COUNT(*) FROM {translation}), (SELECT MAX(updated_at) FROM {translation})"
        )
        row = cursor.fetchone()
    return (connection.alias, *row)


def synonym_table() -> dict[str, tuple[str, ...]]:
    """Active Chinese synonyms (English terms are the English lexicon's), normalised: term
    -> expansions."""
    table: dict[str, tuple[str, ...]] = {}
    synonyms = Synonym.objects.filter(is_active=True).exclude(kind=SynonymKind.ENGLISH)
    for synonym in synonyms.order_by("term"):
        term = text_normalise(synonym.term)
        expansions = tuple(
            e for e in (text_normalise(x) for x in synonym.expansion_list()) if e and e != term
        )
        if term and expansions:
            table[term] = tuple(dict.fromkeys(table.get(term, ()) + expansions))
    return table


def english_lexicon() -> EnglishLexicon:
    """The shipped English lexicon with the active English terms of the synonym table."""
    extra = []
    rows = Synonym.objects.filter(is_active=True, kind=SynonymKind.ENGLISH).order_by("term")
    for synonym in rows:
        expansions = tuple(e for e in (text_normalise(x) for x in synonym.expansion_list()) if e)
        if expansions:
            extra.append((synonym.term, expansions))
    return lexicon_build(extra)


def translation_table() -> dict[str, tuple[str, str]]:
    """Document key -> (zh-Hant name, English name) of the items that have them."""
    table: dict[str, tuple[str, str]] = {}
    rows = ItemTranslation.objects.values_list("name", "name_hant", "name_en").order_by("name")
    for name, hant, english in rows:
        key = text_normalise(name)
        if key:
            table[key] = (hant.strip(), english.strip())
    return table


def lexicon_words(lexicon: str, synonyms: dict[str, tuple[str, ...]]) -> list[tuple[str, int]]:
    """The domain dictionary as stored by the last rebuild, plus the synonym terms."""
    words: dict[str, int] = {}
    for line in lexicon.splitlines():
        word, _sep, freq = line.rpartition(" ")
        if word:
            words[word] = int(freq)
    for term, expansions in synonyms.items():
        for word in (term, *expansions):
            if " " not in word and has_han(word):
                words[word] = max(words.get(word, 0), SYNONYM_WORD_FREQ)
    return sorted(words.items())


def segmenter_for(lexicon: str, synonyms: dict[str, tuple[str, ...]]) -> Segmenter:
    return Segmenter(segmenter_load(lexicon_words(lexicon, synonyms)))


def _load(stamp: tuple[Any, ...]) -> Snapshot:
    state = SearchIndexState.objects.order_by("pk").first()
    synonyms = synonym_table()
    segmenter = segmenter_for(state.lexicon if state else "", synonyms)
    docs: dict[int, Doc] = {}
    df: dict[str, int] = defaultdict(int)
    columns = [column for _bit, _label, column in FIELDS]
    rows = SearchDocument.objects.values_list(
        "pk", "key", "name", "instance_count", "name_pinyin", "name_initials", *columns
    )
    intern = sys.intern
    for pk, key, name, count, pinyin, initials, *texts in rows.iterator(chunk_size=500):
        tokens: dict[str, int] = {}
        for (bit, _label, _column), text in zip(FIELDS, texts, strict=True):
            for raw in text.split():
                token = intern(raw)
                tokens[token] = tokens.get(token, 0) | bit
        for token in tokens:
            df[token] += 1
        compact = key.replace(" ", "")
        docs[pk] = Doc(
            pk, key, name, count, tokens, pinyin, initials, compact, name_intent(compact)
        )
    total = max(len(docs), 1)
    idf = {token: math.log(1 + total / n) for token, n in df.items()}

    vocabulary: dict[str, int] = {}
    for doc in docs.values():
        for word, mask in doc.tokens.items():
            if mask & NAME and len(word) >= 2 and has_han(word):
                vocabulary[word] = df[word]
    for term in synonyms:
        if has_han(term):
            vocabulary[term] = max(vocabulary.get(term, 0), total)
    by_pinyin: dict[str, list[str]] = defaultdict(list)
    by_initials: dict[str, list[str]] = defaultdict(list)
    by_fuzzy: dict[str, list[str]] = defaultdict(list)
    for word in sorted(vocabulary, key=lambda w: (-vocabulary[w], w)):
        spelled = pinyin_full(word)
        by_pinyin[spelled].append(word)
        by_fuzzy[pinyin_fuzzy(spelled)].append(word)
        if len(word) >= 3 or word in synonyms:
            by_initials[pinyin_initials(word)].append(word)
    return Snapshot(
        stamp=stamp,
        segmenter=segmenter,
        docs=docs,
        idf=idf,
        default_idf=math.log(1 + total),
        synonyms=synonyms,
        by_pinyin={k: tuple(v) for k, v in by_pinyin.items()},
        by_initials={k: tuple(v) for k, v in by_initials.items()},
        by_fuzzy_pinyin={k: tuple(v) for k, v in by_fuzzy.items()},
        vocabulary=vocabulary,
        english=english_lexicon(),
        translations=translation_table(),
    )


def snapshot_current() -> Snapshot:
    """The snapshot for the index and synonyms as they are now in the database."""
    stamp = _stamp()
    snapshot = _Process.snapshot
    if snapshot is not None and snapshot.stamp == stamp:
        return snapshot
    with _Process.lock:
        if _Process.snapshot is None or _Process.snapshot.stamp != stamp:
            _Process.snapshot = _load(stamp)
        return _Process.snapshot


def snapshot_forget() -> None:
    """Drop this process's snapshot (tests that roll the database back use it)."""
    with _Process.lock:
        _Process.snapshot = None
