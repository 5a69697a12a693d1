"""From a normalised query to scored documents: the query plan (words, their synonyms,
pinyin read back into words) and the score, computed here in Python the same way whatever
database found the candidates.

Score of a document, on a scale of about 0-10, plus bonuses:
- each query word is a group of alternatives (the word itself, its synonym expansions,
  Chinese words its pinyin spells, the dictionary words inside it), each with a weight;
- an alternative scores the weight of the best field its tokens occur in (name 10 ≫
  aliases and pinyin 6 > themes, department 3 > materials 2 > conditions 1), averaged over
  its tokens by their rarity (idf), or the full name weight when its text occurs in the
  item's name as it stands;
- a group scores its best alternative, and the query the average of its groups weighted by
  each word's rarity, so a rare word counts more than a common one like 申请;
- bonuses: the name is exactly the query (or a synonym of it), the name starts with it,
  the share of the name the query covers (short names that say just this win), and the
  searcher's region (see `selectors`).

An English query (see `english`) is first read as Chinese: each lexicon phrase it holds
becomes a group whose alternatives are the phrase's Chinese terms, and from there it is
planned and scored exactly like a Chinese one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from onestop.search.english import (
    CHINESE,
    PINYIN,
    TERM,
    UNKNOWN,
    EnglishReading,
    Piece,
    english_read,
)
from onestop.search.lexicon import (
    APPLY,
    FIELDS,
    INFO,
    MASK_WEIGHT,
    NAME,
    UNDO,
    UNDO_WORDS,
    Doc,
    Snapshot,
)
from onestop.search.text import has_han, is_ascii_word

# Words that say how people ask, not what they ask for.
_STOP_TEXT = (
    "的 了 吗 呢 吧 啊 呀 么 我 你 他 她 我们 想 想要 要 需要 我要 我想 "
    "请问 请 问 怎么 怎么样 怎样 如何 咋 咋办 怎么办 什么 啥 哪里 哪儿 在哪 "
    "在哪里 哪个 哪些 去 在 到 和 与 及 或 跟 给 把 被 能 能不能 可以 "
    "可不可以 是 有 有没有 没有 一下 办 办理 手续 流程 材料 带 准备 多久 "
    "多少 多少钱 钱 时间 一个 个 应该 该 得 需 是否 还 也 都 就 哪 那 这 "
    "这个 那个 时候 的话 如果 然后 还要 "
)
STOP_WORDS = frozenset(_STOP_TEXT.split())

EXACT_BONUS = 5.0
PREFIX_BONUS = 2.0
COVER_BONUS = 2.0
# See lexicon.name_intent: apply items gain, information and undoing items lose, unless the
# query asks for information or for undoing.
APPLY_BONUS = 0.4
INFO_INTENT = ("查", "进度", "成绩", "结果", "公示", "公布", "名单", "名录", "信息", "验证", "核验")
INFO_PENALTY = 1.0
UNDO_PENALTY = 0.5
# Below this, a document matched only in passing (one common word in the conditions).
MIN_SCORE = 0.9
# An English query is a translation: a document that meets only an action word or a
# scrap of a term ("withdrawal" alone, for a housing-fund query the catalog cannot
# answer) is not an answer, and an empty page that helps beats a page of such.
ENGLISH_MIN_SCORE = 2.0


@dataclass(frozen=True)
class Alternative:
    phrase: str  # without spaces, looked for inside the item's name
    tokens: tuple[str, ...]
    weight: float


@dataclass(frozen=True)
class Group:
    word: str
    importance: float
    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True)
class Plan:
    normalized: str
    phrase: str  # the whole query without spaces
    whole: tuple[str, ...]  # the whole query and what it means, for the exact-name bonus
    groups: tuple[Group, ...]
    wants_info: bool = False
    wants_undo: bool = False
    # Dictionary words inside the alternatives' tokens: the index may have segmented a
    # text before a word (a new synonym) joined the dictionary.
    inner: tuple[str, ...] = ()
    # The groups as scoring reads them, with each token's idf looked up once per query:
    # (importance, ((weight, phrase or "", ((token, idf), ...), sum of idf), ...)).
    compiled: tuple[
        tuple[float, tuple[tuple[float, str, tuple[tuple[str, float], ...], float], ...]], ...
    ] = ()
    # How an English query was read (None for a Chinese or pinyin one).
    english: EnglishReading | None = None

    @property
    def min_score(self) -> float:
        return MIN_SCORE if self.english is None else ENGLISH_MIN_SCORE

    @property
    def read_as(self) -> tuple[str, ...]:
        """The Chinese terms an English query was searched as, best term of each phrase."""
        if self.english is None:
            return ()
        return tuple(dict.fromkeys(p.expansions[0] for p in self.english.pieces if p.kind == TERM))

    def head_tokens(self) -> list[str]:
        """What to ask the full-text index for: every token of every alternative except
        single characters, unless there is nothing else."""
        tokens = [t for g in self.groups for a in g.alternatives for t in a.tokens]
        tokens += self.inner
        longer = [t for t in tokens if len(t) > 1 or not has_han(t)]
        return list(dict.fromkeys(longer or tokens))


def _alternative(snapshot: Snapshot, text: str, weight: float) -> Alternative:
    words = [w for w in snapshot.segmenter.words(text) if w not in STOP_WORDS]
    return Alternative(text.replace(" ", ""), tuple(words or [text.replace(" ", "")]), weight)


def pinyin_words(snapshot: Snapshot, word: str) -> list[str]:
    """Chinese words a run of latin letters may spell: whole pinyin (shebao → 社保), initials
    (sbjf → 社保缴费), or pinyin of several dictionary words in a row (hukouqianchu)."""
    found = list(snapshot.by_pinyin.get(word, ())[:3])
    if len(word) >= 2:
        found.extend(w for w in snapshot.by_initials.get(word, ())[:3] if w not in found)
    if not found and len(word) >= 4:
        spelled = pinyin_split(snapshot, word)
        if spelled:
            found.append(spelled)
    return found


def pinyin_split(snapshot: Snapshot, word: str) -> str | None:
    """The fewest dictionary words whose pinyin, run together, is `word`."""
    best: list[list[str] | None] = [None] * (len(word) + 1)
    best[0] = []
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 24), end):
            prefix = best[start]
            piece = snapshot.by_pinyin.get(word[start:end])
            if prefix is None or not piece:
                continue
            candidate = [*prefix, piece[0]]
            current = best[end]
            if current is None or len(candidate) < len(current):
                best[end] = candidate
    result = best[len(word)]
    return "".join(result) if result and len(result) > 1 else None


def _cover(snapshot: Snapshot, word: str) -> tuple[str, ...]:
    """Smaller dictionary words that together spell `word` (代开 发票 for 代开发票),
    longest first from the left; single characters where nothing longer fits."""
    freq = snapshot.segmenter.freq
    pieces: list[str] = []
    start = 0
    while start < len(word):
        end = len(word) if start else len(word) - 1
        while end > start + 1 and not freq.get(word[start:end]):
            end -= 1
        pieces.append(word[start:end])
        start = end
    return tuple(p for p in pieces if p not in STOP_WORDS)


def _group(snapshot: Snapshot, word: str) -> Group:
    alternatives = [Alternative(word, (word,), 1.0)]
    synonyms = snapshot.synonyms
    for expansion in synonyms.get(word, ()):
        alternatives.append(_alternative(snapshot, expansion, 0.9))
    if is_ascii_word(word):
        for spelled in pinyin_words(snapshot, word):
            alternatives.append(_alternative(snapshot, spelled, 0.9))
            for expansion in synonyms.get(spelled, ()):
                alternatives.append(_alternative(snapshot, expansion, 0.85))
    else:
        if len(word) >= 3 and has_han(word):
            cover = _cover(snapshot, word)
            if len(cover) > 1:
                alternatives.append(Alternative(word, cover, 0.85))
        parts = snapshot.segmenter.parts(word)
        for part in parts:
            if part not in STOP_WORDS:
                alternatives.append(Alternative(part, (part,), 0.6 * len(part) / len(word)))
    importance = max(snapshot.token_idf(word), 1.0)
    if len(word) == 1 and has_han(word):
        importance = min(importance, 1.0)
    return Group(word, importance, tuple(dict.fromkeys(alternatives)))


# An action (renew, lost, status ...) beside a thing weighs as little as 申请 does.
ACTION_IMPORTANCE = 1.0


# An English word the lexicon does not know counts a little against every document, as
# a Chinese word of one character does: people pad questions with words nobody wrote down
# ("death benefit for a worker's family"), and one of them must not empty the results. A
# typo among them is answered by "did you mean" (see `suggest`).
UNKNOWN_IMPORTANCE = 1.0


def is_pinyin(snapshot: Snapshot, word: str) -> bool:
    return bool(pinyin_words(snapshot, word))


def _english_group(snapshot: Snapshot, piece: Piece) -> Group:
    """A lexicon phrase as a group: its Chinese terms, the first preferred, and what the
    synonym table says each means. Its weight in the query is its best term's rarity."""
    alternatives: list[Alternative] = []
    for n, expansion in enumerate(piece.expansions):
        alternatives.append(_alternative(snapshot, expansion, 1.0 if n == 0 else 0.9))
        for synonym in snapshot.synonyms.get(expansion, ()):
            alternatives.append(_alternative(snapshot, synonym, 0.85))
    if piece.action:
        importance = ACTION_IMPORTANCE
    else:
        first = alternatives[0].tokens
        rarity = sum(snapshot.token_idf(t) for t in first) / len(first)
        importance = max(min(snapshot.token_idf(alternatives[0].phrase), rarity), 1.0)
    return Group(" ".join(piece.words), importance, tuple(dict.fromkeys(alternatives)))


def _english_groups(snapshot: Snapshot, reading: EnglishReading) -> list[Group]:
    groups: list[Group] = []
    for piece in reading.pieces:
        if piece.kind == TERM:
            groups.append(_english_group(snapshot, piece))
        elif piece.kind in (PINYIN, CHINESE):
            groups.extend(_group(snapshot, w) for w in piece.words if w not in STOP_WORDS)
        elif piece.kind == UNKNOWN:
            word = piece.words[0]
            groups.append(Group(word, UNKNOWN_IMPORTANCE, (Alternative(word, (word,), 1.0),)))
    return groups


def query_plan(snapshot: Snapshot, normalized: str) -> Plan:
    words = snapshot.segmenter.words(normalized)
    reading = english_read(snapshot.english, words, lambda w: is_pinyin(snapshot, w))
    if reading is not None and reading.terms:
        groups = tuple(dict.fromkeys(_english_groups(snapshot, reading)))
        # What was typed is English: no name starts with it, and the exact-name bonus
        # goes to a name that is a lone phrase's Chinese term (below).
        phrase = ""
        whole = []
    else:
        reading = None
        kept = [w for w in words if w not in STOP_WORDS] or words
        groups = tuple(_group(snapshot, w) for w in dict.fromkeys(kept))
        phrase = "".join(kept)
        whole = [phrase, normalized.replace(" ", "")]
        whole.extend(e.replace(" ", "") for e in snapshot.synonyms.get(phrase, ()))
    if len(groups) == 1:
        whole.extend(a.phrase for a in groups[0].alternatives if a.weight >= 0.85)
    said = [a.phrase for g in groups for a in g.alternatives]
    inner = [
        part
        for g in groups
        for a in g.alternatives
        for t in a.tokens
        for part in snapshot.segmenter.parts(t)
        if part not in STOP_WORDS
    ]
    return Plan(
        normalized,
        phrase,
        tuple(dict.fromkeys(w for w in whole if w)),
        groups,
        wants_info=any(w in p for p in said for w in INFO_INTENT),
        wants_undo=any(w in p for p in said for w in UNDO_WORDS),
        inner=tuple(dict.fromkeys(inner)),
        compiled=_compile(snapshot, groups),
        english=reading,
    )


def _compile(snapshot: Snapshot, groups: tuple[Group, ...]) -> Any:
    compiled = []
    for group in groups:
        alternatives = []
        for a in group.alternatives:
            idfs = tuple((t, snapshot.token_idf(t)) for t in a.tokens)
            phrase = a.phrase if len(a.phrase) >= 2 else ""
            alternatives.append((a.weight, phrase, idfs, sum(i for _t, i in idfs)))
        compiled.append((group.importance, tuple(alternatives)))
    return tuple(compiled)


@dataclass(frozen=True)
class Scored:
    doc: Doc
    score: float
    fields: int  # mask of the fields that matched


NOTHING = Scored(None, 0.0, 0)  # type: ignore[arg-type]


def _name(doc: Doc) -> str:
    return doc.compact


def score(plan: Plan, doc: Doc) -> Scored:  # noqa: PLR0912 - the hot loop, kept in one frame
    name = _name(doc)
    tokens = doc.tokens
    total = 0.0
    weights = 0.0
    fields = 0
    covered = 0
    for importance, alternatives in plan.compiled:
        best = 0.0
        best_cover = 0
        for weight, phrase, idfs, rarity in alternatives:
            if phrase and phrase in name:
                value = 10.0 * weight
                fields |= NAME
                if value > best:
                    best, best_cover = value, len(phrase)
                continue
            got = 0.0
            for token, idf in idfs:
                mask = tokens.get(token)
                if mask:
                    fields |= mask
                    got += idf * MASK_WEIGHT[mask]
            if got and rarity:
                value = weight * got / rarity
                if value > best:
                    best, best_cover = value, 0
        total += importance * best
        weights += importance
        covered += best_cover
    value = total / weights if weights else 0.0
    if value <= 0:
        return NOTHING
    if name in plan.whole:
        value += EXACT_BONUS
    elif plan.phrase and name.startswith(plan.phrase):
        value += PREFIX_BONUS
    value += COVER_BONUS * min(covered, len(name)) / max(len(name), 1)
    intent = doc.intent
    if intent & APPLY:
        value += APPLY_BONUS
    if intent & INFO and not plan.wants_info:
        value -= INFO_PENALTY
    if intent & UNDO and not plan.wants_undo:
        value -= UNDO_PENALTY
    return Scored(doc, value, fields)


def matched_fields(mask: int) -> tuple[str, ...]:
    return tuple(label for bit, label, _column in FIELDS if mask & bit)
