"""Every message has its Simplified and Traditional Chinese translation, and the compiled
catalogues a fresh machine uses (committed .mo files) say the same as the sources."""

from __future__ import annotations

import ast
import gettext
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
TRANSLATED = ["zh_Hans", "zh_Hant"]
ALL = [*TRANSLATED, "en"]


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def parse_po(path: Path) -> list[Entry]:
    """Just enough of the PO format for the files makemessages writes."""
    entries: list[Entry] = []
    entry = Entry()
    key: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal entry, key
        if key is not None:
            entries.append(entry)
        entry, key = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue  # obsolete entries are not used
        elif line.startswith("#,"):
            if key is not None and key[0] == "msgstr":
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            _append(entry, key, value)
        else:
            word, _, rest = line.partition(" ")
            if word in ("msgctxt", "msgid") and key is not None and key[0] == "msgstr":
                finish()
            key = ("msgstr", int(word[7:-1])) if word.startswith("msgstr[") else (word, 0)
            entry.line = entry.line or number
            _set(entry, key, ast.literal_eval(rest))
    finish()
    return entries


def _set(entry: Entry, key: tuple[str, int], value: str) -> None:
    name, index = key
    if name == "msgstr":
        entry.msgstr[index] = value
    else:
        setattr(entry, name, value)


def _append(entry: Entry, key: tuple[str, int] | None, value: str) -> None:
    assert key is not None, "continuation line before any keyword"
    name, index = key
    if name == "msgstr":
        entry.msgstr[index] += value
    else:
        setattr(entry, name, getattr(entry, name) + value)


def _messages(language: str) -> list[Entry]:
    path = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    return [entry for entry in parse_po(path) if entry.msgid]


@pytest.mark.parametrize("language", ALL)
def test_catalogue_exists_for_each_language(language):
    # then
    assert (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").is_file()
    assert (LOCALE_DIR / language / "LC_MESSAGES" / "django.mo").is_file()


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_not_fuzzy(language):
    # when
    entries = _messages(language)
    untranslated = [e.msgid for e in entries if not all(e.msgstr.values()) or not e.msgstr]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]

    # then
    assert entries
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_same_messages_are_in_every_catalogue(language):
    # when
    ids = {(e.msgctxt, e.msgid) for e in _messages(language)}
    english = {(e.msgctxt, e.msgid) for e in _messages("en")}

    # then
    assert ids == english


def _compiled_text(compiled: gettext.GNUTranslations, entry: Entry) -> str:
    # Chinese has one plural form, so msgstr[0] is the text for any count.
    if entry.msgctxt is not None and entry.msgid_plural is not None:
        return compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
    if entry.msgctxt is not None:
        return compiled.pgettext(entry.msgctxt, entry.msgid)
    if entry.msgid_plural is not None:
        return compiled.ngettext(entry.msgid, entry.msgid_plural, 1)
    return compiled.gettext(entry.msgid)


@pytest.mark.parametrize("language", TRANSLATED)
def test_compiled_catalogue_matches_its_source(language):
    # given
    directory = LOCALE_DIR / language / "LC_MESSAGES"
    with (directory / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    # when
    stale = [
        entry.msgid
        for entry in _messages(language)
        if _compiled_text(compiled, entry) != entry.msgstr[0]
    ]

    # then: `manage.py compilemessages` after every change to a .po file
    assert stale == []


def test_the_parser_reads_multiline_plural_and_fuzzy_entries(tmp_path):
    # given
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid "Hello"\nmsgstr "你好"\n\n'
        'msgid ""\n"Two "\n"lines"\nmsgstr ""\n"两"\n"行"\n\n'
        'msgctxt "month"\nmsgid "May"\nmsgstr "五月"\n\n'
        'msgid "%(n)s entry"\nmsgid_plural "%(n)s entries"\nmsgstr[0] ""\n\n'
        '#~ msgid "Old"\n#~ msgstr "旧"\n',
        encoding="utf-8",
    )

    # when
    entries = [e for e in parse_po(po) if e.msgid]

    # then
    assert [(e.msgid, e.msgstr) for e in entries] == [
        ("Hello", {0: "你好"}),
        ("Two lines", {0: "两行"}),
        ("May", {0: "五月"}),
        ("%(n)s entry", {0: ""}),
    ]
    assert entries[0].flags == {"fuzzy", "python-format"}
    assert entries[2].msgctxt == "month"
    assert entries[3].msgid_plural == "%(n)s entries"
