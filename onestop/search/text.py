"""The text pipeline shared by the index and the query: folding (full-width to half-width,
lower case, traditional to simplified), stripping punctuation, and pinyin.

The index and the query must pass through exactly the same steps, or a word written one
way in the catalog and another way in the search box would not meet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc
from pypinyin import lazy_pinyin

# Everything that is not a letter or digit in any script separates words; FTS5's unicode61
# tokenizer and the tsquery parser would treat most of it as syntax otherwise.
_NON_WORD = re.compile(r"[\W_]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ASCII_WORD = re.compile(r"^[a-z]+$")

_converter = opencc.OpenCC("t2s")


def text_fold(text: str) -> str:
    """Full-width forms to half-width (NFKC), lower case, traditional to simplified."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return _converter.convert(folded) if _HAN.search(folded) else folded


def text_normalise(text: str) -> str:
    """Folded, with every run of punctuation, symbols and spaces made one space."""
    return _NON_WORD.sub(" ", text_fold(text)).strip()


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def is_ascii_word(text: str) -> bool:
    return _ASCII_WORD.match(text) is not None


@lru_cache(maxsize=65536)
def pinyin_syllables(word: str) -> tuple[str, ...]:
    """Toneless pinyin syllables of the Han characters in `word`; other characters kept."""
    return tuple(s for s in lazy_pinyin(word, errors="ignore") if s)


def pinyin_full(word: str) -> str:
    return "".join(pinyin_syllables(word))


def pinyin_initials(word: str) -> str:
    return "".join(s[0] for s in pinyin_syllables(word))


# Sounds that speakers of southern Chinese (Cantonese among them) and pinyin keyboards mix
# up, made one: zh/z, ch/c, sh/s, -ng/-n, n/l and f/h.
_FUZZY = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ng", "n"), ("l", "n"), ("f", "h"))


def pinyin_fuzzy(spelled: str) -> str:
    """Toneless pinyin (or latin letters) with the sounds people mix up made one, so
    `sebao` and `shebao`, `nuhu` and `luhu` share a key."""
    for sound, same in _FUZZY:
        spelled = spelled.replace(sound, same)
    return spelled


@lru_cache(maxsize=1)
def _to_traditional() -> opencc.OpenCC:
    # Hong Kong forms, as for the interface's zh-Hant (decision 0005).
    return opencc.OpenCC("s2hk")


@lru_cache(maxsize=4096)
def text_traditional(text: str) -> str:
    """Simplified Chinese text in Traditional characters (Hong Kong forms)."""
    return _to_traditional().convert(text) if _HAN.search(text) else text
