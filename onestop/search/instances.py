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
    columns = ", ".join(COLUMNS)
    parts: list[str] = []
    params: list[Any] = []
    marks = ", ".join(["%s"] * len(chain))
    for n, doc_id in enumerate(doc_ids):
        if chain:
            parts.append(
                f"SELECT 0 AS kind, {columns} FROM (SELECT {columns} FROM {TABLE} "  # noqa: S608
                f"WHERE document_id = %s{where} AND region_code IN ({marks}) "
                f"ORDER BY region_code DESC, item_key LIMIT 1) AS c{n}"
            )
            params += [doc_id, *where_params, *chain]
        parts.append(
            f"SELECT 1 AS kind, {columns} FROM (SELECT {columns} FROM {TABLE} "  # noqa: S608
            f"WHERE document_id = %s{where} ORDER BY level_rank, item_key LIMIT 1) AS f{n}"
        )
        params += [doc_id, *where_params]
    picks: dict[int, Pick] = {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = sorted(cursor.fetchall(), key=lambda row: row[0])
    for _kind, *values in rows:
        picks.setdefault(values[0], Pick(*values))
    return picks
