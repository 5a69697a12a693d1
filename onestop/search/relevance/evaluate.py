"""Relevance of the search on the real Guangdong catalog: the Chinese query set in
`queries.toml` and the English one in `queries_en.toml`, MRR@10 and recall@5 of each, and
the top 10 of every query for comparing databases.

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
QUERIES_EN = HERE / "queries_en.toml"
# Each set by its language, scored and reported apart; the golden top 10 holds both.
QUERY_SETS: dict[str, Path] = {"zh": QUERIES, "en": QUERIES_EN}
TOP10 = HERE / "top10.json"
TARGET_MRR = 0.80
TARGET_RECALL = 0.90
# (MRR@10, recall@5) each set must reach; a query file of one's own is held to the first.
TARGETS: dict[str, tuple[float, float]] = {
    "zh": (TARGET_MRR, TARGET_RECALL),
    "en": (TARGET_MRR, TARGET_RECALL),
}


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
    label: str = "zh"
    target_mrr: float = TARGET_MRR
    target_recall: float = TARGET_RECALL

    @property
    def mrr_at_10(self) -> float:
        ranks = [r.rank for r in self.results]
        return sum(1 / rank for rank in ranks if rank) / len(ranks)

    @property
    def recall_at_5(self) -> float:
        return sum(r.recall_at_5 for r in self.results) / len(self.results)

    @property
    def meets_targets(self) -> bool:
        return self.mrr_at_10 >= self.target_mrr and self.recall_at_5 >= self.target_recall

    def top10(self) -> dict[str, list[str]]:
        return {r.query.text: [hit.item_key for hit in r.hits] for r in self.results}


def relevance_queries(path: Path = QUERIES) -> list[RelevanceQuery]:
    with path.open("rb") as handle:
        rows = tomllib.load(handle)["query"]
    return [RelevanceQuery(row["text"], row.get("form", ""), tuple(row["expect"])) for row in rows]


def relevance_evaluate(
    queries: list[RelevanceQuery] | None = None, *, label: str = "zh"
) -> RelevanceReport:
    """One query set scored: a named set of QUERY_SETS, or `queries` of one's own (held to
    the targets of the set named by `label`)."""
    queries = relevance_queries(QUERY_SETS[label]) if queries is None else queries
    target_mrr, target_recall = TARGETS.get(label, (TARGET_MRR, TARGET_RECALL))
    return RelevanceReport(
        [QueryResult(q, search_items(q.text, page_size=10).hits) for q in queries],
        label,
        target_mrr,
        target_recall,
    )


def relevance_evaluate_all() -> list[RelevanceReport]:
    """Every query set, Chinese first."""
    return [relevance_evaluate(label=label) for label in QUERY_SETS]


def top10_read(path: Path = TOP10) -> dict[str, list[str]]:
    return json.loads(path.read_text(encoding="utf-8"))


def top10_write(reports: list[RelevanceReport], path: Path = TOP10) -> None:
    top10: dict[str, list[str]] = {}
    for report in reports:
        top10.update(report.top10())
    path.write_text(json.dumps(top10, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def real_catalog_load() -> int:
    """The real Guangdong catalog (with the city's regions and departments) in the current
    database, through the catalog's service, then the index. Returns the number of items."""
    from onestop.catalog.services import catalog_real_load
    from onestop.search.services import search_index_rebuild

    report = catalog_real_load(actor=None)
    search_index_rebuild()
    return report.created + report.updated + report.unchanged
