"""The online hall's search pages: results with filters, suggestions as you type, the
citizen's own district, the staff report of what people fail to find, and the page that
says how to reach the 12345 hotline (where a search that found nothing sends people).

The results page and suggestions are public. A search writes one anonymous log row when its
first page is shown; further pages of it and suggestions write none, so the log counts
searches, not keystrokes or page turns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from onestop.catalog import selectors as catalog
from onestop.catalog.enums import REGION_COOKIE, ItemLevel, OnlineDepth
from onestop.core.models import Region
from onestop.core.regions import region_districts
from onestop.identity.actors import optional_actor, request_actor
from onestop.search import policies, selectors, services
from onestop.search.enums import SearchChannel
from onestop.search.forms import MAX_PAGE, PAGE_SIZE, RegionPreferenceForm, SearchForm
from onestop.search.names import name_in_language
from onestop.search.policies import Perm

# The citizen's own district, for anyone, signed in or not: a cookie (REGION_COOKIE, shared
# with the catalog's pages, which may remember a street too), so no session row is made for
# a visitor who only searches.
REGION_COOKIE_AGE = 365 * 24 * 3600
SUGGESTION_LIMIT = 8
FAILURE_DAYS = 30
FAILURE_LIMIT = 100


def preferred_region(request: HttpRequest) -> Region | None:
    """The district the visitor chose here or on the catalog's pages, else the signed-in
    citizen's own district."""
    region = catalog.region_remembered(
        chosen_code=request.COOKIES.get(REGION_COOKIE, ""), actor=optional_actor(request)
    )
    if region is None:
        return None
    # A street or village (remembered, or where a citizen is registered) is ranked by its
    # district.
    return region_districts().filter(code=region.code[:6]).first()


def _label(choices: type[Any], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@dataclass(frozen=True)
class HitRow:
    hit: selectors.SearchHit
    level_label: str
    online_label: str
    # The item's name in the reader's language, and the catalog's own (zh-Hans) name when
    # that differs, to show at a window or read on the item's page.
    label: str
    official: str | None


def _names_language(result: selectors.SearchPage) -> str:
    """English names for an English page, and for an English query on any page: whoever
    typed English reads English best."""
    return "en" if result.language == "en" else (get_language() or "zh-hans")


def _row(hit: selectors.SearchHit, language: str) -> HitRow:
    label = name_in_language(hit.name, hit.name_hant or "", hit.name_en or "", language)
    return HitRow(
        hit,
        _label(ItemLevel, hit.level),
        _label(OnlineDepth, hit.online_depth),
        label,
        hit.name if label != hit.name else None,
    )


@dataclass(frozen=True)
class ThemeRow:
    code: str
    label: str


def _theme_row(theme: selectors.ThemeLink) -> ThemeRow:
    language = get_language() or "zh-hans"
    return ThemeRow(
        theme.code, name_in_language(theme.name, theme.name_hant, theme.name_en, language)
    )


def _pages(result: selectors.SearchPage) -> dict[str, Any]:
    count = min(math.ceil(result.total / result.page_size) if result.page_size else 0, MAX_PAGE)
    return {
        "number": result.page,
        "count": count,
        "first_rank": (result.page - 1) * result.page_size + 1,
        "previous": result.page - 1 if result.page > 1 else None,
        "next": result.page + 1 if result.page < count else None,
    }


@require_GET
def results(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    region = preferred_region(request)
    context: dict[str, Any] = {
        "form": form,
        "region": region,
        "region_form": RegionPreferenceForm(
            initial={"region": region.code if region else "", "next": request.get_full_path()}
        ),
        "result": None,
    }
    if "q" in request.GET:
        form.is_valid()
        filters = form.filters()
        result = selectors.search_items(
            form.query(),
            filters=filters,
            prefer_region_code=region.code if region else None,
            page=form.page_number(),
            page_size=PAGE_SIZE,
        )
        if form.page_number() == 1:
            services.search_log_record(result, filters=filters, channel=SearchChannel.WEB)
        language = _names_language(result)
        context.update(
            result=result,
            rows=[_row(hit, language) for hit in result.hits],
            similar_rows=[_row(hit, language) for hit in result.help.similar]
            if result.help
            else [],
            theme_rows=[_theme_row(t) for t in result.help.themes] if result.help else [],
            pages=_pages(result),
            filter_errors=form.filter_errors(),
            active_filters=form.active_filter_count(),
            # Results come first on a phone: the filters open by themselves only to show
            # what was wrong with one.
            filters_open=bool(form.errors),
        )
    return render(request, "search/results.html", context)


@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """The options under the search box (an htmx fragment); never logged."""
    query = request.GET.get("q", "")
    english = (get_language() or "").startswith("en")
    suggestions = (
        selectors.search_suggest(query, limit=SUGGESTION_LIMIT, english_first=english)
        if query.strip()
        else []
    )
    return render(request, "search/_suggestions.html", {"suggestions": suggestions})


@require_POST
def region_set(request: HttpRequest) -> HttpResponse:
    """Remember the visitor's district in a cookie and go back where they were."""
    form = RegionPreferenceForm(request.POST)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("search:results")
    response = HttpResponseRedirect(target)
    if not form.is_valid():
        return response
    code = form.cleaned_data["region"]
    if code:
        response.set_cookie(
            REGION_COOKIE,
            code,
            max_age=REGION_COOKIE_AGE,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(REGION_COOKIE, samesite="Lax")
    return response


# The 12345 hotline's web form does not exist yet; this page says how to reach 12345 and
# will hold the form. Searches that find nothing link here with what was searched for.
ASK_QUERY_CHARS = 100


@require_GET
def hotline_ask(request: HttpRequest) -> HttpResponse:
    """How to reach the 12345 hotline, and what to tell it."""
    query = request.GET.get("q", "").strip()[:ASK_QUERY_CHARS]
    return render(request, "search/hotline_ask.html", {"query": query})


@require_GET
def failures(request: HttpRequest) -> HttpResponse:
    """What people fail to find: searches with no result, most frequent first."""
    if not policies.RULES.can(request_actor(request), Perm.READ_LOG):
        raise PermissionDenied
    since = timezone.now() - timedelta(days=FAILURE_DAYS)
    rows = selectors.search_log_failures(since, FAILURE_LIMIT)
    return render(
        request,
        "search/failures.html",
        {"rows": rows, "days": FAILURE_DAYS, "since": since},
    )
