"""Relevance on the real Guangdong catalog, in Chinese and in English, and the same top 10
on every database.

The suite runs once on SQLite and once on PostgreSQL; both runs compare each query's top 10
(both sets) with the committed golden file `relevance/top10.json`, so the two databases
agree with each other. After a deliberate change to ranking, synonyms, the English lexicon
or the query sets, regenerate it on an empty database and check the other database passes
too:

    onestop search-eval --real --write-top10 onestop/search/relevance/top10.json
"""

import pytest

from onestop.search.models import SearchDocument
from onestop.search.names import item_names_read
from onestop.search.relevance.evaluate import (
    QUERY_SETS,
    TARGETS,
    relevance_evaluate,
    relevance_queries,
    top10_read,
)
from onestop.search.selectors import search_items

# The share of the real items with a shipped English name that a search for that name puts
# in its first three: the lexicon must know the words the names are written in.
ENGLISH_NAMES_FOUND = 0.95


@pytest.fixture(scope="module")
def reports(real_catalog, django_db_blocker):
    with django_db_blocker.unblock():
        return {label: relevance_evaluate(label=label) for label in QUERY_SETS}


def test_the_query_set_is_large_and_in_every_form():
    queries = relevance_queries()
    assert len(queries) >= 85
    forms = {q.form for q in queries}
    assert {"colloquial", "traditional", "pinyin", "initials", "abbreviation"} <= forms


def test_the_english_query_set_is_large_and_in_every_form():
    queries = relevance_queries(QUERY_SETS["en"])
    assert len(queries) >= 60
    forms = {q.form for q in queries}
    assert {"everyday", "official", "question", "inflected", "mixed"} <= forms
    assert not {q.text for q in queries} & {q.text for q in relevance_queries()}


@pytest.mark.parametrize("label", list(QUERY_SETS))
def test_relevance_meets_its_targets(reports, label):
    report = reports[label]
    target_mrr, target_recall = TARGETS[label]
    assert report.mrr_at_10 >= target_mrr
    assert report.recall_at_5 >= target_recall


def test_every_query_has_the_golden_top_10(reports):
    golden = top10_read()
    found = {}
    for report in reports.values():
        found.update(report.top10())
    assert list(golden) == list(found)
    differing = {q: keys for q, keys in found.items() if golden[q] != keys}
    assert differing == {}


def test_the_english_names_of_real_items_find_them(real_catalog, django_db_blocker):
    with django_db_blocker.unblock():
        real = set(SearchDocument.objects.values_list("name", flat=True))
        named = [(zh, en) for zh, en in item_names_read() if zh in real]
        found = [zh for zh, en in named if zh in [h.name for h in search_items(en).hits[:3]]]
    assert len(named) >= 100
    assert len(found) / len(named) >= ENGLISH_NAMES_FOUND
