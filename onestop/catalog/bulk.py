"""Multi-row INSERT for the catalog's large loads (tens of thousands of items).

Django's `bulk_create` prepares every value through its field and, on SQLite, sends at most
999 parameters a statement (about 20 items). Loads here build rows of plain values already
in database form (str, int, bool, None, and datetimes adapted once), so one statement can
carry hundreds of rows. Both SQLite (3.35+) and PostgreSQL return the new ids in the order
of the VALUES list, which Django's own bulk_create relies on too. On PostgreSQL the rows go
in with COPY instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection, models

# SQLite since 3.32 allows 32,766 parameters a statement, PostgreSQL 65,535.
MAX_PARAMS = 30000
MAX_ROWS = 1000


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column
    return field.column


def db_datetime(value: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    returning_ids: bool = False,
) -> list[int]:
    """Insert `rows` (values in the order of `columns`, given as field attnames) and return
    the new primary keys when asked."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        return _copy_rows(model, columns, rows, returning_ids=returning_ids)
    meta = model._meta
    quote = connection.ops.quote_name
    names = ", ".join(quote(_column(model, column)) for column in columns)
    placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per_statement = max(1, min(MAX_ROWS, MAX_PARAMS // len(columns)))
    suffix = f" RETURNING {quote(meta.pk.column)}" if returning_ids else ""
    if connection.vendor == "sqlite":
        placeholder = placeholder.replace("%s", "?")
    ids: list[int] = []
    # The driver's own cursor: the debug wrapper would render every parameter into the
    # query log. It runs in the connection's current transaction all the same.
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            # Only quoted model names and placeholders: every value is a parameter.
            values = ", ".join([placeholder] * len(chunk))
            sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES {values}{suffix}"  # noqa: S608
            params = [value for row in chunk for value in row]
            cursor.execute(sql, params)
            if returning_ids:
                ids.extend(row[0] for row in cursor.fetchall())
    finally:
        cursor.close()
    return ids


def _copy_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    returning_ids: bool,
) -> list[int]:
    """PostgreSQL: COPY, far faster than a long INSERT. Ids, when wanted, are drawn from
    the table's sequence first, so the rows go in with them."""
    meta = model._meta
    quote = connection.ops.quote_name
    names = [quote(_column(model, column)) for column in columns]
    ids: list[int] = []
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        if returning_ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            names.insert(0, quote(meta.pk.column))
            rows = [[pk, *row] for pk, row in zip(ids, rows, strict=True)]
        statement = f"COPY {quote(meta.db_table)} ({', '.join(names)}) FROM STDIN"
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    return ids
