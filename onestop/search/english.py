"""English queries: the English–Chinese lexicon of government services, word forms folded
to the lexicon's words, and an English query read as the Chinese terms the catalog uses.

The catalog names its items in Chinese only, so an English query is translated before it is
searched: each run of English words is matched, longest phrase first, against the lexicon
(`data/lexicon_en.txt`, plus the synonym table's rows of kind "English"), and every phrase
found becomes a group of Chinese alternatives that the ranking treats like any Chinese
word's. Word forms meet by lookup, not by a stemmer: a word is tried as written, with its
spelling made British (license → licence), without a plural or verb ending (passports,
renewing, renewed), and without -al (renewal → renew); the form the lexicon knows wins.
A stemmer would make `care` and `car` one word; a lookup only joins forms the lexicon holds.

A query is read as English when at least one of its latin words is in the lexicon and its
English words (lexicon words and the little words around them) are at least as many as the
words that read as pinyin; `shebao`, `sbjf` and `hukou qianchu` stay pinyin.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from onestop.search.text import has_han, is_ascii_word, text_normalise

logger = logging.getLogger(__name__)

LEXICON_PATH = Path(__file__).resolve().parent / "data" / "lexicon_en.txt"
EXPANSION_SEPARATOR = "｜"
PHRASE_SEPARATOR = ","
MAX_PHRASE_WORDS = 6

# Words that say how people ask, not what they ask for. They are dropped from lexicon
# phrases and queries alike, so "open a restaurant" meets "open restaurant".
_STOP_TEXT = """
a an the of for to in on at by with from into about as and or but so if than then
my our your his her their its i me we us you he she it they them mine
is are am was were be been being do does did done doing have has had having
can could may might must shall should will would
how what where when which who whom whose why there here this that these those
please help want wanted wants need needs needed needing get gets getting got gotten
apply applying applied application applications find finding look looking
make making made go going take taking tell know some any one
s t d m ve ll re don doesn didn won cannot
service services government official guangzhou china online website
procedure procedures process step steps requirement requirements required
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

# American (and a few common misspelt) forms to the British forms the lexicon is written in.
_SPELLING = {
    "license": "licence",
    "center": "centre",
    "labor": "labour",
    "enroll": "enrol",
    "enrollment": "enrolment",
    "program": "programme",
    "defense": "defence",
    "offense": "offence",
    "honor": "honour",
    "neighbor": "neighbour",
    "harbor": "harbour",
    "favor": "favour",
    "catalog": "catalogue",
    "theater": "theatre",
    "meter": "metre",
    "fulfill": "fulfil",
    "tire": "tyre",
    "pediatric": "paediatric",
    "gray": "grey",
}
_IRREGULAR = {
    "children": "child",
    "women": "woman",
    "men": "man",
    "people": "person",
    "wives": "wife",
    "lives": "life",
    "teeth": "tooth",
    "feet": "foot",
}
_ZE = re.compile(r"(?<=[a-z]{3})(i|y)z(e|es|ed|ing|ation|ations)$")
_VOWEL = re.compile(r"[aeiouy]")


def _spelled(word: str) -> str:
    word = _SPELLING.get(word, word)
    return _ZE.sub(lambda m: f"{m.group(1)}s{m.group(2)}", word)


def _endings(word: str) -> list[str]:
    """The word without one inflection or -al ending, each way it could have been added."""
    forms: list[str] = []
    n = len(word)
    if word in _IRREGULAR:
        forms.append(_IRREGULAR[word])
    if n > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        forms.append(word[:-1])
        if word.endswith("ies") and n > 4:
            forms.append(word[:-3] + "y")
        if word.endswith(("ses", "xes", "zes", "ches", "shes")):
            forms.append(word[:-2])
        if word.endswith("ves") and n > 4:
            forms.extend((word[:-3] + "f", word[:-3] + "fe"))
    for ending in ("ing", "ed"):
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= 3 and _VOWEL.search(stem):
            forms.extend((stem, stem + "e"))
            if len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
                forms.append(stem[:-1])  # running -> run
            if ending == "ed" and stem.endswith("i"):
                forms.append(stem[:-1] + "y")  # married -> marry
    if n >= 6 and word.endswith("al"):
        forms.extend((word[:-2], word[:-2] + "e"))  # renewal -> renew, approval -> approve
    return forms


@lru_cache(maxsize=16384)
def word_forms(word: str) -> tuple[str, ...]:
    """The forms under which the lexicon may hold `word`, as written first."""
    found: dict[str, None] = {}
    first = [word, _spelled(word)]
    for form in first:
        found.setdefault(form)
    for form in first:
        for once in _endings(form):
            found.setdefault(_spelled(once))
            for twice in _endings(once):
                found.setdefault(_spelled(twice))
    return tuple(found)


def content_words(text: str) -> tuple[str, ...]:
    """The normalised words of a lexicon phrase or query, without the little words."""
    return tuple(w for w in text_normalise(text).split() if w not in STOP_WORDS)


# --- The lexicon -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LexiconLine:
    line: int
    phrases: tuple[str, ...]
    expansions: tuple[str, ...]
    # An action (renew, lost, change, status ...) says what to do with a thing, not which
    # thing: it weighs little in a query beside the thing it is done to.
    action: bool = False


class LexiconError(ValueError):
    pass


SECTIONS = {"[things]": False, "[actions]": True}


def lexicon_parse(text: str, *, strict: bool = True) -> list[LexiconLine]:
    """Lines `english phrase, another phrase = 中文｜中文` under a `[things]` or `[actions]`
    heading (things first); `#` starts a comment. Anything else raises `LexiconError` naming
    its line, or, not `strict`, is logged and left out: a bad line must never take search
    down, Chinese included."""
    lines: list[LexiconLine] = []
    action = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        try:
            if line.startswith("["):
                if line not in SECTIONS:
                    raise LexiconError(f"line {number}: unknown section {line!r}")
                action = SECTIONS[line]
                continue
            lines.append(_line(number, raw, line, action))
        except LexiconError:
            if strict:
                raise
            logger.exception("English lexicon: a line left out")
    return lines


def _line(number: int, raw: str, line: str, action: bool) -> LexiconLine:
    english, sep, chinese = line.partition("=")
    phrases = tuple(p.strip() for p in english.split(PHRASE_SEPARATOR) if p.strip())
    expansions = tuple(
        e for e in (text_normalise(x) for x in chinese.split(EXPANSION_SEPARATOR)) if e
    )
    if not sep or not phrases or not expansions:
        raise LexiconError(f"line {number}: expected `english, ... = 中文｜中文`: {raw!r}")
    if not all(has_han(e) for e in expansions):
        raise LexiconError(f"line {number}: every term after = must be Chinese: {raw!r}")
    for phrase in phrases:
        words = content_words(phrase)
        if not words or not all(is_ascii_word(w) for w in words):
            raise LexiconError(
                f"line {number}: {phrase!r} needs latin words other than little words"
            )
    return LexiconLine(number, phrases, expansions, action)


def lexicon_duplicates(lines: Iterable[LexiconLine]) -> list[str]:
    """Phrases that mean the same words on two lines once little words are dropped
    ("pension application" is "pension"): the second line's terms would join the first's
    without anyone meaning them to."""
    seen: dict[tuple[str, ...], int] = {}
    found: list[str] = []
    for line in lines:
        for phrase in line.phrases:
            key = content_words(phrase)
            first = seen.setdefault(key, line.line)
            if first != line.line:
                found.append(f"line {line.line}: {phrase!r} is {' '.join(key)!r} of line {first}")
    return found


@lru_cache(maxsize=1)
def lexicon_shipped() -> tuple[LexiconLine, ...]:
    """The lexicon shipped with the code, read once per process."""
    return tuple(lexicon_parse(LEXICON_PATH.read_text(encoding="utf-8"), strict=False))


@dataclass(frozen=True)
class Match:
    start: int  # index of the first query word it covers
    end: int  # one past the last
    key: tuple[str, ...]  # the lexicon phrase's words
    expansions: tuple[str, ...]
    action: bool = False


class EnglishLexicon:
    """English phrases to Chinese terms, with the lookups a query needs."""

    def __init__(self, entries: Iterable[tuple[str, Iterable[str], bool]]) -> None:
        table: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.actions: set[tuple[str, ...]] = set()
        # The things' phrases as written, for suggestions as one types.
        phrases: dict[str, None] = {}
        for phrase, expansions, action in entries:
            key = content_words(phrase)
            if key and all(is_ascii_word(w) for w in key):
                merged = (*table.get(key, ()), *expansions)
                table[key] = tuple(dict.fromkeys(e for e in merged if e))
                if action:
                    self.actions.add(key)
                else:
                    phrases.setdefault(" ".join(text_normalise(phrase).split()))
        self.phrases = tuple(phrases)
        self.table = {key: value for key, value in table.items() if value}
        self.words = frozenset(w for key in self.table for w in key)
        # Every form of every lexicon word, back to the words it may be.
        lemmas: dict[str, set[str]] = defaultdict(set)
        for word in self.words:
            for form in word_forms(word):
                lemmas[form].add(word)
        self._lemmas = {form: frozenset(words) for form, words in lemmas.items()}
        by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for key in self.table:
            by_first[key[0]].append(key)
        self._by_first = {
            w: tuple(sorted(keys, key=lambda k: (-len(k), k))) for w, keys in by_first.items()
        }

    def __len__(self) -> int:
        return len(self.table)

    def lemmas(self, word: str) -> frozenset[str]:
        """The lexicon words `word` may be a form of."""
        found: set[str] = set()
        for form in word_forms(word):
            found |= self._lemmas.get(form, frozenset())
        return frozenset(found)

    def knows(self, word: str) -> bool:
        return bool(self.lemmas(word))

    def matches(self, words: list[str]) -> list[Match]:
        """Lexicon phrases covering `words` (stop words already removed), longest first from
        the left; words no phrase covers are left out."""
        found: list[Match] = []
        i = 0
        while i < len(words):
            best: Match | None = None
            for first in sorted(self.lemmas(words[i])):
                for key in self._by_first.get(first, ()):
                    end = i + len(key)
                    if end > len(words) or (best and len(key) <= len(best.key)):
                        continue
                    if all(key[j] in self.lemmas(words[i + j]) for j in range(1, len(key))):
                        best = Match(i, end, key, self.table[key], key in self.actions)
                        break
            if best is None:
                i += 1
                continue
            found.append(best)
            i = best.end
        return found

    def nearest(self, word: str, limit: int = 3) -> list[str]:
        """Lexicon words one or two edits away from a word it does not know (a typo)."""
        if len(word) < 4:
            return []
        allowed = 1 if len(word) <= 6 else 2
        scored = []
        for known in self.words:
            if abs(len(known) - len(word)) > allowed:
                continue
            distance = edit_distance(word, known, allowed)
            if distance <= allowed:
                scored.append((distance, known))
        return [w for _d, w in sorted(scored)[:limit]]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with adjacent swaps, or `limit + 1` once it is surely over."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def lexicon_build(extra: Iterable[tuple[str, tuple[str, ...]]] = ()) -> EnglishLexicon:
    """The shipped lexicon with the administrators' English terms (things) laid over it."""

    def entries() -> Iterator[tuple[str, tuple[str, ...], bool]]:
        for line in lexicon_shipped():
            for phrase in line.phrases:
                yield phrase, line.expansions, line.action
        for phrase, expansions in extra:
            yield phrase, expansions, False

    return EnglishLexicon(entries())


# --- Reading a query -------------------------------------------------------------------------

TERM, STOP, PINYIN, UNKNOWN, CHINESE = "term", "stop", "pinyin", "unknown", "chinese"


@dataclass(frozen=True)
class Piece:
    """Part of an English reading: a lexicon phrase (`TERM`), a little word (`STOP`), a
    latin word the lexicon does not know that spells pinyin (`PINYIN`) or nothing
    (`UNKNOWN`), or a word of Chinese (or digits) typed among the English (`CHINESE`)."""

    kind: str
    words: tuple[str, ...]  # as typed (normalised)
    key: tuple[str, ...] = ()
    expansions: tuple[str, ...] = ()
    action: bool = False


@dataclass(frozen=True)
class EnglishReading:
    pieces: tuple[Piece, ...]

    @property
    def terms(self) -> tuple[Piece, ...]:
        return tuple(p for p in self.pieces if p.kind == TERM)

    def unknown_words(self) -> tuple[str, ...]:
        return tuple(w for p in self.pieces if p.kind == UNKNOWN for w in p.words)


def english_read(
    lexicon: EnglishLexicon, words: list[str], is_pinyin: Callable[[str], bool]
) -> EnglishReading | None:
    """The English reading of a query's words, or None when the query is not English.
    Words that are not latin letters (Chinese, digits) are kept as `CHINESE` pieces."""
    latin = [w for w in words if is_ascii_word(w)]
    if not latin:
        return None
    content = [w for w in latin if w not in STOP_WORDS]
    # A word that is both (dibao, hukou) is no evidence either way.
    spelled = {w for w in content if is_pinyin(w)}
    english = [w for w in content if lexicon.knows(w) and w not in spelled]
    pinyin = [w for w in spelled if not lexicon.knows(w)]
    if not english or len(english) + len(latin) - len(content) < len(pinyin):
        return None
    pieces: list[Piece] = []
    run: list[str] = []

    def flush() -> None:
        kept = [w for w in run if w not in STOP_WORDS]
        covered: set[int] = set()
        matched = {m.start: m for m in lexicon.matches(kept)}
        for i, word in enumerate(kept):
            match = matched.get(i)
            if match is not None:
                words_ = tuple(kept[match.start : match.end])
                pieces.append(Piece(TERM, words_, match.key, match.expansions, match.action))
                covered.update(range(match.start, match.end))
            elif i not in covered:
                pieces.append(Piece(PINYIN if is_pinyin(word) else UNKNOWN, (word,)))
        pieces.extend(Piece(STOP, (w,)) for w in run if w in STOP_WORDS)
        run.clear()

    for word in words:
        if is_ascii_word(word):
            run.append(word)
            continue
        flush()
        pieces.append(Piece(CHINESE, (word,)))
    flush()
    return EnglishReading(tuple(pieces))
