"""Relevance of the search on the real Guangdong catalog: the query set in `queries.toml`,
MRR@10 and recall@5, and the top 10 of each query for comparing databases.

- MRR@10: the mean over queries of 1/rank of the first expected item in the top 10 (0 if
  none is there).
- recall@5: the mean over queries of the share of expected items in the top 5, out of as
  many as could fit (min(expected, 5)).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from onestop.search.selectors import SearchHit, search_items

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries.toml"
TOP10 = HERE / "top10.json"
TARGET_MRR = 0.80
TARGET_RECALL = 0.90


@dataclass(frozen=True)
class RelevanceQuery:
    text: str
    form: str
    expect: tuple[str, ...]


@dataclass(frozen=True)
class QueryResult:
    query: RelevanceQuery
    hits: list[SearchHit]

    @property
    def names(self) -> list[str]:
        return [hit.name for hit in self.hits]

    @property
    def rank(self) -> int | None:
        for position, name in enumerate(self.names[:10], start=1):
            if name in self.query.expect:
                return position
        return None

    @property
    def recall_at_5(self) -> float:
        found = len(set(self.names[:5]) & set(self.query.expect))
        return found / min(len(self.query.expect), 5)


@dataclass(frozen=True)
class RelevanceReport:
    results: list[QueryResult]

    @property
    def mrr_at_10(self) -> float:
        ranks = [r.rank for r in self.results]
        return sum(1 / rank for rank in ranks if rank) / len(ranks)

    @property
    def recall_at_5(self) -> float:
        return sum(r.recall_at_5 for r in self.results) / len(self.results)

    @property
    def meets_targets(self) -> bool:
        return self.mrr_at_10 >= TARGET_MRR and self.recall_at_5 >= TARGET_RECALL

    def top10(self) -> dict[str, list[str]]:
        return {r.query.text: [hit.item_key for hit in r.hits] for r in self.results}


def relevance_queries(path: Path = QUERIES) -> list[RelevanceQuery]:
    with path.open("rb") as handle:
        rows = tomllib.load(handle)["query"]
    return [RelevanceQuery(row["text"], row.get("form", ""), tuple(row["expect"])) for row in rows]


def relevance_evaluate(queries: list[RelevanceQuery] | None = None) -> RelevanceReport:
    queries = relevance_queries() if queries is None else queries
    return RelevanceReport(
        [QueryResult(q, search_items(q.text, page_size=10).hits) for q in queries]
    )


def top10_read(path: Path = TOP10) -> dict[str, list[str]]:
    return json.loads(path.read_text(encoding="utf-8"))


def top10_write(report: RelevanceReport, path: Path = TOP10) -> None:
    path.write_text(
        json.dumps(report.top10(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def real_catalog_load() -> int:
    """The city's regions and departments and the real Guangdong items, into the current
    (empty) database, then the index. Returns the number of items loaded."""
    from onestop.catalog.demo import REAL_ITEMS
    from onestop.catalog.importing import items_import
    from onestop.catalog.services import department_aliases_load
    from onestop.core.departments import departments_load
    from onestop.core.regions import regions_load
    from onestop.search.services import search_index_rebuild

    regions_load()
    departments_load()
    department_aliases_load(actor=None)
    report = items_import(actor=None, path=REAL_ITEMS)
    search_index_rebuild()
    return report.created + report.updated + report.unchanged
