"""The search API, mounted at /api/v1/catalog/search. Public, like the online hall.

`GET /api/v1/catalog/search` answers one page of results; `GET .../search/suggest` the
completions of what has been typed. Both carry a strong ETag, as the catalog API's answers
do, and a request naming it gets 304. A filter that is not valid (an unknown level, a
malformed region code, a page size over 100) is a 422 problem; a query the engine cannot
use (empty, too long, nothing searchable in it) is answered with `error` set and no results,
as the search page shows it. An English query is read as Chinese terms (`language`,
`read_as`); hits carry the item's zh-Hant and English names where they are written; a
search that finds nothing answers `help`: similar items, related life events and topics,
and the hotline.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from onestop.catalog.enums import ItemLevel, ItemType, OnlineDepth
from onestop.core.etags import etag_response
from onestop.search import selectors, services
from onestop.search.enums import SearchChannel

router = Router(tags=["search"], auth=None)

SUGGESTION_LIMIT = 8
REGION_PATTERN = r"^\d{2,12}$"


class SearchIn(Schema):
    q: str = Field("", description="what the citizen typed, in any form")
    level: ItemLevel | None = None
    region: str | None = Field(None, max_length=12, pattern=REGION_PATTERN)
    department: str | None = Field(None, max_length=32)
    item_type: ItemType | None = None
    theme: str | None = Field(None, max_length=40)
    audience: str | None = Field(None, pattern="^(natural|legal)$")
    online_depth: OnlineDepth | None = None
    prefer_region: str | None = Field(
        None,
        max_length=12,
        pattern=REGION_PATTERN,
        description="the citizen's own region: its items rank first",
    )
    page: int = Field(1, ge=1, le=1000)
    page_size: int = Field(10, ge=1, le=selectors.MAX_PAGE_SIZE)


class SuggestIn(Schema):
    q: str = ""


class SearchHitOut(Schema):
    item_key: str
    name: str
    name_hant: str | None = Field(None, description="zh-Hant name, where one is written")
    name_en: str | None = Field(None, description="English name, where one is written")
    level: str
    region_code: str | None
    region_name: str | None
    department_name: str | None
    item_type: str
    online_depth: str
    score: float
    matched_fields: list[str]
    other_places: int
    url: str


class ThemeOut(Schema):
    code: str
    name: str
    name_hant: str
    name_en: str
    url: str


class SearchHelpOut(Schema):
    similar: list[SearchHitOut] = Field(description="items with similar names, best first")
    themes: list[ThemeOut] = Field(description="life events and topics the query belongs to")
    hotline: str = Field(description="the number to call for help")
    ask_url: str = Field(description="the page that says how to reach the hotline")


class SearchOut(Schema):
    query: str
    normalized: str
    total: int
    page: int
    page_size: int
    did_you_mean: str | None
    error: str | None
    language: str = Field(description="`en` when the query was read as English, else `zh`")
    read_as: list[str] = Field(description="the Chinese terms an English query was searched as")
    results: list[SearchHitOut]
    help: SearchHelpOut | None = Field(None, description="set when nothing was found")


class SuggestOut(Schema):
    query: str
    suggestions: list[str]


HOTLINE = "12345"


def _help(help: selectors.SearchHelp | None, query: str) -> dict[str, Any] | None:
    if help is None:
        return None
    return {
        "similar": [_hit(hit) for hit in help.similar],
        "themes": [
            {
                "code": t.code,
                "name": t.name,
                "name_hant": t.name_hant,
                "name_en": t.name_en,
                "url": reverse("catalog:theme_detail", args=[t.code]),
            }
            for t in help.themes
        ],
        "hotline": HOTLINE,
        "ask_url": f"{reverse('hotline:ask')}?{urlencode({'q': query})}",
    }


def _hit(hit: selectors.SearchHit) -> dict[str, Any]:
    return {
        "item_key": hit.item_key,
        "name": hit.name,
        "name_hant": hit.name_hant,
        "name_en": hit.name_en,
        "level": hit.level,
        "region_code": hit.region_code,
        "region_name": hit.region_name,
        "department_name": hit.department_name,
        "item_type": hit.item_type,
        "online_depth": hit.online_depth,
        "score": hit.score,
        "matched_fields": list(hit.matched_fields),
        "other_places": hit.other_places,
        "url": reverse("catalog:item_detail", args=[hit.item_key]),
    }


@router.get("", response={200: SearchOut, 304: None})
def search(request: HttpRequest, params: Query[SearchIn]) -> HttpResponse:
    """Published items matching what the citizen typed, best first."""
    filters = selectors.SearchFilters(
        level=params.level,
        region_code=params.region,
        department_code=params.department,
        item_type=params.item_type,
        theme_code=params.theme,
        audience=params.audience,
        online_depth=params.online_depth,
    )
    result = selectors.search_items(
        params.q,
        filters=filters,
        prefer_region_code=params.prefer_region,
        page=params.page,
        page_size=params.page_size,
    )
    # One log row per search, not per page turned.
    if params.page == 1:
        services.search_log_record(result, filters=filters, channel=SearchChannel.API)
    payload = {
        "query": result.query,
        "normalized": result.normalized,
        "total": result.total,
        "page": result.page,
        "page_size": result.page_size,
        "did_you_mean": result.did_you_mean,
        "error": result.error,
        "language": result.language,
        "read_as": list(result.read_as),
        "results": [_hit(hit) for hit in result.hits],
        "help": _help(result.help, result.query),
    }
    return etag_response(request, SearchOut, payload)


@router.get("/suggest", response={200: SuggestOut, 304: None})
def suggest(request: HttpRequest, params: Query[SuggestIn]) -> HttpResponse:
    """Completions of a partly typed query, for a search box. Not logged."""
    suggestions = (
        selectors.search_suggest(params.q, limit=SUGGESTION_LIMIT) if params.q.strip() else []
    )
    return etag_response(request, SuggestOut, {"query": params.q, "suggestions": suggestions})
