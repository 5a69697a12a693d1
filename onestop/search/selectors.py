"""Searching the catalog: `search_items` for the results page and the API, `search_suggest`
for suggestions as one types, and the reports of the search log.

The interface is the contract with the pages and the API: its names and shapes stay.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from onestop.catalog import selectors as catalog_selectors
from onestop.core.errors import DomainError
from onestop.core.regions import region_ancestors, region_get
from onestop.search import related
from onestop.search import suggest as suggesting
from onestop.search.backends import full_text
from onestop.search.instances import Pick, instances_pick
from onestop.search.lexicon import NAME, Snapshot, snapshot_current
from onestop.search.models import SearchDocument, SearchIndexState, SearchInstance, SearchLog
from onestop.search.ranking import Plan, Scored, matched_fields, query_plan, score
from onestop.search.related import ThemeName
from onestop.search.text import (
    has_han,
    pinyin_full,
    pinyin_fuzzy,
    text_normalise,
    text_traditional,
)

logger = logging.getLogger(__name__)

MAX_QUERY_CHARS = 100
MAX_PAGE_SIZE = 50
# With fewer head matches than this, the acceptance conditions are searched as well.
BODY_THRESHOLD = 20
# Fewer results than this, and "did you mean" is worked out.
FEW_RESULTS = 3
# The score a document gains when offered in the searcher's own region (village) down to
# the city's level: the level that handles it for them.
REGION_BONUS: dict[int, float] = {12: 1.0, 9: 0.8, 6: 0.6, 4: 0.3}


@dataclass(frozen=True)
class SearchFilters:  # all optional
    level: str | None = None  # catalog ItemLevel value
    region_code: str | None = None  # restrict to this region and below
    department_code: str | None = None
    item_type: str | None = None
    theme_code: str | None = None
    audience: str | None = None  # natural person / legal person (catalog Audience)
    online_depth: str | None = None

    def used(self) -> dict[str, str]:
        return {key: value for key, value in asdict(self).items() if value}


@dataclass(frozen=True)
class SearchHit:
    item_key: str
    name: str
    level: str
    region_code: str | None
    region_name: str | None
    department_name: str | None
    item_type: str
    online_depth: str
    score: float
    matched_fields: tuple[str, ...]  # e.g. ("name", "materials")
    other_places: int  # how many other regions offer the same item
    # The item's name in zh-Hant and English where one is written (ItemTranslation).
    name_hant: str | None = None
    name_en: str | None = None


@dataclass(frozen=True)
class ThemeLink:
    """A life event or topic, with its names in the three languages."""

    code: str
    name: str
    name_hant: str
    name_en: str


@dataclass(frozen=True)
class SearchHelp:
    """What a search that found nothing still offers (see `related`)."""

    similar: list[SearchHit]  # items with similar names, best first
    themes: list[ThemeLink]  # life events and topics the query belongs to


@dataclass(frozen=True)
class SearchPage:
    query: str
    normalized: str
    hits: list[SearchHit]
    total: int
    page: int
    page_size: int
    did_you_mean: str | None  # set when there are no (or very few) results
    error: str | None  # a clear message for empty/too-long query; never raise
    language: str = "zh"  # "en" when the query was read as English
    read_as: tuple[str, ...] = ()  # the Chinese terms an English query was searched as
    help: SearchHelp | None = None  # set when nothing was found


def _instance_filter(filters: SearchFilters) -> Q:
    q = Q()
    if filters.level:
        q &= Q(level=filters.level)
    if filters.region_code:
        q &= Q(region_code__startswith=filters.region_code)
    if filters.department_code:
        q &= Q(department_code=filters.department_code)
    if filters.item_type:
        q &= Q(item_type=filters.item_type)
    if filters.theme_code:
        q &= Q(theme_codes__contains=f" {filters.theme_code} ")
    if filters.audience == "natural":
        q &= Q(for_natural_person=True)
    elif filters.audience == "legal":
        q &= Q(for_legal_person=True)
    if filters.online_depth:
        q &= Q(online_depth=filters.online_depth)
    return q


def _filtered_documents(snapshot: Snapshot, filters: SearchFilters) -> frozenset[int] | None:
    """Documents with at least one instance that passes every filter; None: no filter.
    Kept per snapshot: a filter is a short list, asked again and again."""
    if not filters.used():
        return None
    found = snapshot.cache.get(filters)
    if found is None:
        if len(snapshot.cache) > 512:
            snapshot.cache.clear()
        found = frozenset(
            SearchInstance.objects.filter(_instance_filter(filters))
            .values_list("document_id", flat=True)
            .distinct()
        )
        snapshot.cache[filters] = found
    return found


def _region_chain(snapshot: Snapshot, code: str | None) -> tuple[str, ...]:
    """The region and its ancestors, deepest first; empty for an unknown code."""
    if not code:
        return ()
    chain = snapshot.regions.get(code)
    if chain is None:
        try:
            region = region_get(code)
        except DomainError:
            chain = ()
        else:
            chain = (region.code, *(r.code for r in reversed(region_ancestors(region))))
        if len(snapshot.regions) > 4096:
            snapshot.regions.clear()
        snapshot.regions[code] = chain
    return chain


def _local_depths(snapshot: Snapshot, chain: tuple[str, ...]) -> dict[int, int]:
    """Per document, the length of the deepest region code of the chain it is offered in."""
    if not chain:
        return {}
    key = ("local", chain)
    cached = snapshot.cache.get(key)
    if cached is not None:
        return dict(cached)
    depths: dict[int, int] = {}
    rows = (
        SearchInstance.objects.filter(region_code__in=chain)
        .values_list("document_id", "region_code")
        .distinct()
    )
    for doc_id, code in rows:
        depths[doc_id] = max(depths.get(doc_id, 0), len(code))
    snapshot.cache[key] = frozenset(depths.items())
    return depths


def _candidates(snapshot: Snapshot, plan: Plan) -> set[int]:
    backend = full_text()
    tokens = plan.head_tokens()
    found = backend.match(tokens, column="head")
    if len(found) < BODY_THRESHOLD:
        found |= backend.match(tokens, column="body")
    return {doc_id for doc_id in found if doc_id in snapshot.docs}


def _rank(
    snapshot: Snapshot, plan: Plan, filters: SearchFilters, chain: tuple[str, ...]
) -> list[Scored]:
    candidates = _candidates(snapshot, plan)
    allowed = _filtered_documents(snapshot, filters)
    if allowed is not None:
        candidates &= allowed
    depths = _local_depths(snapshot, chain)
    ranked: list[Scored] = []
    for doc_id in candidates:
        scored = score(plan, snapshot.docs[doc_id])
        if scored.score < plan.min_score:
            continue
        bonus = REGION_BONUS.get(depths.get(doc_id, 0), 0.0)
        ranked.append(Scored(scored.doc, round(scored.score + bonus, 6), scored.fields))
    ranked.sort(key=lambda s: (-s.score, s.doc.key))
    return ranked


def _hit(snapshot: Snapshot, scored: Scored, instance: Pick) -> SearchHit:
    name_hant, name_en = snapshot.translations.get(scored.doc.key, ("", ""))
    return SearchHit(
        item_key=instance.item_key,
        name=scored.doc.name,
        name_hant=name_hant or None,
        name_en=name_en or None,
        level=instance.level,
        region_code=instance.region_code or None,
        region_name=instance.region_name or None,
        department_name=instance.department_name or None,
        item_type=instance.item_type,
        online_depth=instance.online_depth,
        score=scored.score,
        matched_fields=matched_fields(scored.fields),
        other_places=max(scored.doc.instance_count - 1, 0),
    )


def _page(
    text: str,
    normalized: str,
    *,
    page: int,
    page_size: int,
    hits: list[SearchHit] | None = None,
    total: int = 0,
    did_you_mean: str | None = None,
    error: str | None = None,
    plan: Plan | None = None,
    help: SearchHelp | None = None,
) -> SearchPage:
    return SearchPage(
        text,
        normalized,
        hits or [],
        total,
        page,
        page_size,
        did_you_mean,
        error,
        language="en" if plan is not None and plan.english is not None else "zh",
        read_as=plan.read_as if plan is not None else (),
        help=help,
    )


def _mends_spelling(plan: Plan, correction: str) -> bool:
    """A correction of how the query is written, not of what it asks: latin letters, or
    Chinese that sounds the same (社宝 → 社保, not 公积金提取 → 公积金领取)."""
    if plan.english is not None or not has_han(plan.normalized):
        return True
    return pinyin_fuzzy(pinyin_full(plan.phrase)) == pinyin_fuzzy(
        pinyin_full(correction.replace(" ", ""))
    )


# Themes change only when an administrator edits them; their names are kept a while.
THEMES_CACHE_KEY = "search:theme-names"
THEMES_CACHE_SECONDS = 300


def _theme_names() -> list[ThemeName]:
    themes = cache.get(THEMES_CACHE_KEY)
    if themes is None:
        themes = [
            ThemeName(
                t.code,
                t.name,
                t.name_i18n.get("zh-hant", ""),
                t.name_i18n.get("en", ""),
                t.kind,
                tuple(t.alias_list()),
            )
            for t in catalog_selectors.theme_list()
        ]
        cache.set(THEMES_CACHE_KEY, themes, THEMES_CACHE_SECONDS)
    return themes


def _help(
    snapshot: Snapshot,
    plan: Plan,
    filters: SearchFilters,
    chain: tuple[str, ...],
    correction: str | None,
) -> SearchHelp:
    """Similar items and related life events, for a search that found nothing: the first
    results of "did you mean" where it only mends the spelling (a typo, pinyin, a word
    that sounds the same), else the items with similar names."""
    if correction and _mends_spelling(plan, correction):
        found = _rank(snapshot, query_plan(snapshot, correction), filters, chain)
        similar = [(s.doc, s.score) for s in found[: related.SIMILAR_LIMIT]]
    else:
        allowed = _filtered_documents(snapshot, filters)
        similar = related.similar_documents(snapshot, plan, allowed)
    picks = instances_pick([doc.id for doc, _v in similar], filters, chain)
    hits = [
        _hit(snapshot, Scored(doc, round(value, 6), NAME), picks[doc.id])
        for doc, value in similar
        if doc.id in picks
    ]
    codes = (
        SearchInstance.objects.filter(document_id__in=[doc.id for doc, _v in similar])
        .values_list("document_id", "theme_codes")
        .distinct()
    )
    per_document: dict[int, set[str]] = {}
    for doc_id, theme_codes in codes:
        per_document.setdefault(doc_id, set()).update(theme_codes.split())
    themes = related.related_themes(
        plan, _theme_names(), [c for found in per_document.values() for c in found]
    )
    return SearchHelp(hits, [ThemeLink(t.code, t.name, t.name_hant, t.name_en) for t in themes])


def _guessing(plan: Plan) -> bool:
    """An English query with a word the lexicon does not know: its results are only what
    the other words found, so a correction is worth offering whatever they number."""
    return plan.english is not None and bool(plan.english.unknown_words())


def _did_you_mean(snapshot: Snapshot, plan: Plan, filters: SearchFilters, total: int) -> str | None:
    enough = 0 if _guessing(plan) else total
    for correction in suggesting.corrections(snapshot, plan):
        if correction == plan.normalized:
            continue
        better = _rank(snapshot, query_plan(snapshot, correction), filters, ())
        if len(better) > enough:
            return correction
    return None


def search_items(
    text: str,
    *,
    filters: SearchFilters = SearchFilters(),
    prefer_region_code: str | None = None,
    page: int = 1,
    page_size: int = 10,
) -> SearchPage:
    """One page of the published items that match `text`, best first. Never raises: an
    empty or unusable query gives a page with `error` set."""
    text = text if isinstance(text, str) else ""
    page = max(1, int(page or 1))
    page_size = min(max(1, int(page_size or 10)), MAX_PAGE_SIZE)
    error = None
    if len(text) > MAX_QUERY_CHARS:
        error = _("The search was shortened to its first %(n)d characters.") % {
            "n": MAX_QUERY_CHARS
        }
        text = text[:MAX_QUERY_CHARS]
    normalized = text_normalise(text)
    if not normalized:
        message = _("Type a few words of what you want to do, such as 开饭店 or 社保缴费.")
        return _page(text, "", page=page, page_size=page_size, error=message)
    try:
        snapshot = snapshot_current()
        plan = query_plan(snapshot, normalized)
        chain = _region_chain(snapshot, prefer_region_code)
        ranked = _rank(snapshot, plan, filters, chain)
        start = (page - 1) * page_size
        shown = ranked[start : start + page_size]
        picks = instances_pick([s.doc.id for s in shown], filters, chain)
        hits = [_hit(snapshot, s, picks[s.doc.id]) for s in shown]
        did_you_mean = (
            _did_you_mean(snapshot, plan, filters, len(ranked))
            if len(ranked) < FEW_RESULTS or _guessing(plan)
            else None
        )
        help = _help(snapshot, plan, filters, chain, did_you_mean) if not ranked else None
    except Exception:
        logger.exception("search failed for %r", normalized)
        message = _("Search is not available just now. Please try again in a moment.")
        return _page(text, normalized, page=page, page_size=page_size, error=message)
    return _page(
        text,
        normalized,
        page=page,
        page_size=page_size,
        hits=hits,
        total=len(ranked),
        did_you_mean=did_you_mean,
        error=error,
        plan=plan,
        help=help,
    )


def search_suggest(prefix: str, *, limit: int = 8, english_first: bool = False) -> list[str]:
    """Item names and synonym terms that begin with (or, for Chinese, contain) what has
    been typed so far, also when typed as pinyin or initials, and English phrases and item
    names for latin letters (first when `english_first`: an English page). Never raises."""
    normalized = text_normalise(prefix if isinstance(prefix, str) else "")[:MAX_QUERY_CHARS]
    if not normalized:
        return []
    try:
        return suggesting.suggestions(
            snapshot_current(),
            normalized,
            max(1, min(limit, 50)),
            english_first=english_first,
        )
    except Exception:
        logger.exception("suggestions failed for %r", normalized)
        return []


# --- The search log -------------------------------------------------------------------------


@dataclass(frozen=True)
class FailedQuery:
    query: str
    searches: int
    last_searched: datetime


def search_log_failures(since: datetime, limit: int = 50) -> list[FailedQuery]:
    """The queries that found nothing since `since`, most often searched first."""
    rows = (
        SearchLog.objects.filter(result_count=0, created_at__gte=since)
        .values("query")
        .annotate(searches=Count("pk"), last=Max("created_at"))
        .order_by("-searches", "query")[:limit]
    )
    return [FailedQuery(row["query"], row["searches"], row["last"]) for row in rows]


@dataclass(frozen=True)
class IndexStats:
    documents: int
    instances: int
    generation: int
    rebuilt_at: datetime | None
    rebuild_seconds: float
    levels: dict[str, int]


def search_index_stats() -> IndexStats:
    state = SearchIndexState.objects.order_by("pk").first()
    levels = Counter(
        dict(SearchInstance.objects.values_list("level").annotate(n=Count("pk")).order_by())
    )
    return IndexStats(
        documents=SearchDocument.objects.count(),
        instances=sum(levels.values()),
        generation=state.generation if state else 0,
        rebuilt_at=state.rebuilt_at if state else None,
        rebuild_seconds=state.rebuild_seconds if state else 0.0,
        levels=dict(levels),
    )


def filters_from(values: dict[str, Any]) -> SearchFilters:
    """Filters from a mapping such as request.GET, ignoring unknown keys and blanks."""
    names = {f.name for f in fields(SearchFilters)}
    return SearchFilters(
        **{k: str(v).strip() for k, v in values.items() if k in names and v and str(v).strip()}
    )


# --- Warming a process -----------------------------------------------------------------------

# One query of each kind the pipeline reads differently, so every lazy part is loaded.
WARM_QUERIES = ("开饭店要什么证", "shebao", "passport renewal", "港奥通行政")


@dataclass(frozen=True)
class WarmReport:
    seconds: float
    documents: int


def search_warm() -> WarmReport:
    """Load everything the first search of a process would: jieba's dictionary with the
    domain words, the snapshot of the index, pinyin's and OpenCC's tables, the English
    lexicon, the suggestion and similar-name lists. A server calls it before it takes
    requests (config/asgi.py), so its first search is as fast as its hundredth."""
    import time

    started = time.perf_counter()
    snapshot = snapshot_current()
    for text in WARM_QUERIES:
        search_items(text)
    search_suggest("sb")
    search_suggest("pass")
    related.similar_documents(snapshot, query_plan(snapshot, "公积金"), None)
    text_traditional("搜索")
    return WarmReport(round(time.perf_counter() - started, 3), len(snapshot.docs))
