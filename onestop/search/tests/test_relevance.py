"""Relevance on the real Guangdong catalog, and the same top 10 on every database.

The suite runs once on SQLite and once on PostgreSQL; both runs compare each query's top 10
with the committed golden file `relevance/top10.json`, so the two databases agree with each
other. After a deliberate change to ranking, synonyms or the query set, regenerate it on an
empty database and check the other database passes too:

    onestop search-eval --real --write-top10 onestop/search/relevance/top10.json
"""

import pytest

from onestop.search.relevance.evaluate import (
    TARGET_MRR,
    TARGET_RECALL,
    relevance_evaluate,
    relevance_queries,
    top10_read,
)


@pytest.fixture(scope="module")
def report(real_catalog, django_db_blocker):
    with django_db_blocker.unblock():
        return relevance_evaluate()


def test_the_query_set_is_large_and_in_every_form():
    queries = relevance_queries()
    assert len(queries) >= 85
    forms = {q.form for q in queries}
    assert {"colloquial", "traditional", "pinyin", "initials", "abbreviation"} <= forms


def test_relevance_meets_its_targets(report):
    assert report.mrr_at_10 >= TARGET_MRR
    assert report.recall_at_5 >= TARGET_RECALL


def test_every_query_has_the_golden_top_10(report):
    golden = top10_read()
    assert list(golden) == [r.query.text for r in report.results]
    differing = {q: keys for q, keys in report.top10().items() if golden[q] != keys}
    assert differing == {}
