"""Word segmentation with jieba, in this process, on one `jieba.Tokenizer` (never jieba's
global one, which other code could change).

The tokenizer loads jieba's general dictionary once per process (jieba keeps a marshal
cache of it, under a second). The domain dictionary (words of the catalog and the synonym
table) is laid over a copy of the general frequencies whenever it changes, so a tokenizer
with a given domain dictionary segments exactly as any other process's would.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

import jieba

from onestop.search.text import has_han

jieba.setLogLevel(logging.WARNING)

# A domain word outweighs most general-dictionary splits of it.
DOMAIN_WORD_FREQ = 20000


class _Process:
    """The one tokenizer of this process, the general frequencies it started from, and
    the domain words laid over them."""

    lock = threading.Lock()
    tokenizer: jieba.Tokenizer | None = None
    base_freq: dict[str, int] = {}
    base_total = 0
    words: tuple[tuple[str, int], ...] | None = None


def _base_tokenizer() -> jieba.Tokenizer:
    if _Process.tokenizer is None:
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        _Process.base_freq = dict(tokenizer.FREQ)
        _Process.base_total = tokenizer.total
        _Process.tokenizer = tokenizer
    return _Process.tokenizer


def segmenter_load(words: Iterable[tuple[str, int]]) -> jieba.Tokenizer:
    """The tokenizer with exactly these domain words over the general dictionary."""
    wanted = tuple(sorted(set(words)))
    with _Process.lock:
        tokenizer = _base_tokenizer()
        if wanted != _Process.words:
            tokenizer.FREQ = dict(_Process.base_freq)
            tokenizer.total = _Process.base_total
            for word, freq in wanted:
                tokenizer.add_word(word, freq)
            _Process.words = wanted
    return tokenizer


class Segmenter:
    """Segmentation of normalised text (see `text.text_normalise`) into words."""

    def __init__(self, tokenizer: jieba.Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.freq = tokenizer.FREQ
        # Catalog texts repeat (the same material in hundreds of items): segment each once.
        self._tokens: dict[str, list[str]] = {}

    def words(self, normalised: str) -> list[str]:
        """The most likely words, as a reader would split the text. HMM guessing of unknown
        words is off: it would invent words the index may not have."""
        words: list[str] = []
        for chunk in normalised.split():
            if not has_han(chunk):
                words.append(chunk)
                continue
            words.extend(w for w in self.tokenizer.cut(chunk, HMM=False) if w.strip())
        return words

    def parts(self, word: str) -> list[str]:
        """The dictionary words inside a longer word (社会 and 保险 in 社会保险费), so a
        search for a part finds the whole."""
        if len(word) < 3 or not has_han(word):
            return []
        found: list[str] = []
        for size in range(len(word) - 1, 1, -1):
            for start in range(len(word) - size + 1):
                part = word[start : start + size]
                if self.freq.get(part):
                    found.append(part)
        return found

    def tokens(self, normalised: str) -> list[str]:
        """Index tokens: the words and the dictionary words inside each, in order, once."""
        cached = self._tokens.get(normalised)
        if cached is None:
            cached = self._tokens[normalised] = self._tokens_of(normalised)
        return cached

    def _tokens_of(self, normalised: str) -> list[str]:
        seen: dict[str, None] = {}
        for word in self.words(normalised):
            seen.setdefault(word)
            for part in self.parts(word):
                seen.setdefault(part)
        return list(seen)
