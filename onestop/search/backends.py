"""The full-text half of the index, one implementation per database, behind one interface.

Both hold, per document, two token sets: `head` (name, aliases and pinyin, themes,
department, materials) and `body` (acceptance conditions), exactly as the index wrote
them; and both answer "which documents hold any of these tokens". Matching is set
membership on whole tokens, with no stemming, stop words or ranking of their own, so the
two return the same documents for the same data and the score computed afterwards in
Python (`ranking`) is the same too.

- SQLite: an FTS5 virtual table (`unicode61` tokenizer: our tokens are runs of letters and
  digits, which it keeps whole) queried with quoted terms joined by OR under a column filter.
- PostgreSQL: tsvectors built with `array_to_tsvector` from the token list (lexemes taken
  as they are, not re-parsed, so no locale or parser can split or drop a Chinese word),
  with GIN indexes, queried with a tsquery of quoted lexemes joined by `|`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from django.db import connection

TABLE = "search_fts"
# A query never needs more; a longer list only costs time.
MAX_TERMS = 64


class FullText(Protocol):
    def clear(self) -> None: ...
    def delete(self, doc_ids: Sequence[int]) -> None: ...
    def write(self, rows: Iterable[tuple[int, list[str], list[str]]]) -> None: ...
    def match(self, tokens: Sequence[str], *, column: str) -> set[int]: ...


def _terms(tokens: Sequence[str]) -> list[str]:
    # Tokens come from `text_normalise`: letters and digits only, never quotes or operators.
    return [t for t in dict.fromkeys(tokens) if t and t.isalnum()][:MAX_TERMS]


class SqliteFullText:
    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 - constant table name

    def delete(self, doc_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [(i,) for i in doc_ids])  # noqa: S608

    def write(self, rows: Iterable[tuple[int, list[str], list[str]]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, head, body) VALUES (%s, %s, %s)",  # noqa: S608
                [(doc_id, " ".join(head), " ".join(body)) for doc_id, head, body in rows],
            )

    def match(self, tokens: Sequence[str], *, column: str) -> set[int]:
        terms = _terms(tokens)
        if not terms:
            return set()
        expression = "{{{}}} : ({})".format(column, " OR ".join(f'"{t}"' for t in terms))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [expression])  # noqa: S608
            return {row[0] for row in cursor.fetchall()}


class PostgresFullText:
    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {TABLE}")

    def delete(self, doc_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE doc_id = ANY(%s)", [list(doc_ids)])  # noqa: S608

    def write(self, rows: Iterable[tuple[int, list[str], list[str]]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} (doc_id, head, body) VALUES "  # noqa: S608
                "(%s, array_to_tsvector(%s::text[]), array_to_tsvector(%s::text[]))",
                [(doc_id, _terms_all(head), _terms_all(body)) for doc_id, head, body in rows],
            )

    def match(self, tokens: Sequence[str], *, column: str) -> set[int]:
        terms = _terms(tokens)
        if not terms or column not in ("head", "body"):
            return set()
        query = " | ".join(f"'{t}'" for t in terms)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT doc_id FROM {TABLE} WHERE {column} @@ %s::tsquery",  # noqa: S608
                [query],
            )
            return {row[0] for row in cursor.fetchall()}


def _terms_all(tokens: Sequence[str]) -> list[str]:
    return [t for t in dict.fromkeys(tokens) if t]


def full_text() -> FullText:
    """The implementation for the default connection's database."""
    if connection.vendor == "postgresql":
        return PostgresFullText()
    return SqliteFullText()
