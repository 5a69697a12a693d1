"""Which concrete item stands for each document of a results page, read with one statement
per page (it runs on every search, so it stays off the ORM's per-query overhead).

The searcher's own region comes first (the deepest region of their chain with an instance:
their village, street, district, the city), else the level that handles the item for
everyone (city, district, street, village, then province), then the item key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection

from onestop.search.models import SearchInstance

TABLE = SearchInstance._meta.db_table
COLUMNS = (
    "document_id",
    "item_key",
    "level",
    "region_code",
    "region_name",
    "department_name",
    "item_type",
    "online_depth",
)


@dataclass(frozen=True)
class Pick:
    document_id: int
    item_key: str
    level: str
    region_code: str
    region_name: str
    department_name: str
    item_type: str
    online_depth: str


def _like_literal(value: str) -> str:
    return value.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def filter_sql(filters: Any) -> tuple[str, list[Any]]:
    """SQL conditions for `selectors.SearchFilters`, the same on SQLite and PostgreSQL."""
    clauses: list[str] = []
    params: list[Any] = []
    if filters.level:
        clauses.append("level = %s")
        params.append(filters.level)
    if filters.region_code:
        clauses.append("region_code LIKE %s ESCAPE '!'")
        params.append(_like_literal(filters.region_code) + "%")
    if filters.department_code:
        clauses.append("department_code = %s")
        params.append(filters.department_code)
    if filters.item_type:
        clauses.append("item_type = %s")
        params.append(filters.item_type)
    if filters.theme_code:
        clauses.append("theme_codes LIKE %s ESCAPE '!'")
        params.append(f"% {_like_literal(filters.theme_code)} %")
    if filters.audience == "natural":
        clauses.append("for_natural_person = %s")
        params.append(True)
    elif filters.audience == "legal":
        clauses.append("for_legal_person = %s")
        params.append(True)
    if filters.online_depth:
        clauses.append("online_depth = %s")
        params.append(filters.online_depth)
    return "".join(f" AND {c}" for c in clauses), params


def instances_pick(doc_ids: list[int], filters: Any, chain: tuple[str, ...]) -> dict[int, Pick]:
    """For each document, the instance that stands for it under these filters."""
    if not doc_ids:
        return {}
    where, where_params = filter_sql(filters)
    if connection.vendor == "postgresql":
        sql, params = _lateral(doc_ids, where, where_params, chain)
    else:
        sql, params = _union(doc_ids, where, where_params, chain)
    picks: dict[int, Pick] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = sorted(cursor.fetchall(), key=lambda row: row[0])
    for _kind, *values in rows:
        picks.setdefault(values[0], Pick(*values))
    return picks


_LOCAL_ORDER = "ORDER BY region_code DESC, item_key LIMIT 1"
_LEVEL_ORDER = "ORDER BY level_rank, item_key LIMIT 1"


def _union(
    doc_ids: list[int], where: str, where_params: list[Any], chain: tuple[str, ...]
) -> tuple[str, list[Any]]:
    """One small sub-select per document and kind, joined by UNION ALL (SQLite)."""
    columns = ", ".join(COLUMNS)
    marks = ", ".join(["%s"] * len(chain))
    parts: list[str] = []
    params: list[Any] = []
    for n, doc_id in enumerate(doc_ids):
        if chain:
            parts.append(
                f"SELECT 0 AS kind, {columns} FROM (SELECT {columns} FROM {TABLE} "  # noqa: S608
                f"WHERE document_id = %s{where} AND region_code IN ({marks}) "
                f"{_LOCAL_ORDER}) AS c{n}"
            )
            params += [doc_id, *where_params, *chain]
        parts.append(
            f"SELECT 1 AS kind, {columns} FROM (SELECT {columns} FROM {TABLE} "  # noqa: S608
            f"WHERE document_id = %s{where} {_LEVEL_ORDER}) AS f{n}"
        )
        params += [doc_id, *where_params]
    return " UNION ALL ".join(parts), params


def _lateral(
    doc_ids: list[int], where: str, where_params: list[Any], chain: tuple[str, ...]
) -> tuple[str, list[Any]]:
    """The same as one plan per kind over the list of documents (PostgreSQL)."""
    columns = ", ".join(f"i.{c}" for c in COLUMNS)
    plain = ", ".join(COLUMNS)

    def kind(number: int, extra: str, order: str) -> str:
        return (
            f"SELECT {number} AS kind, {columns} FROM unnest(%s::int[]) AS d(id) "  # noqa: S608
            f"CROSS JOIN LATERAL (SELECT {plain} FROM {TABLE} "
            f"WHERE document_id = d.id{where}{extra} {order}) AS i"
        )

    sql = kind(1, "", _LEVEL_ORDER)
    params: list[Any] = [doc_ids, *where_params]
    if chain:
        sql = kind(0, " AND region_code = ANY(%s)", _LOCAL_ORDER) + " UNION ALL " + sql
        params = [doc_ids, *where_params, list(chain), *params]
    return sql, params
