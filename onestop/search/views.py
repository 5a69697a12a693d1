"""The online hall's search pages: results with filters, suggestions as you type, the
citizen's own district, and the staff report of what people fail to find.

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
from django.views.decorators.http import require_GET, require_POST

from onestop.catalog.enums import ItemLevel, OnlineDepth
from onestop.core.models import Region
from onestop.core.regions import region_districts
from onestop.identity.actors import request_actor
from onestop.search import policies, selectors, services
from onestop.search.enums import SearchChannel
from onestop.search.forms import MAX_PAGE, PAGE_SIZE, RegionPreferenceForm, SearchForm
from onestop.search.policies import Perm

# The citizen's own district, for anyone, signed in or not: a cookie, so no session row
# is made for a visitor who only searches.
REGION_COOKIE = "onestop_region"
REGION_COOKIE_AGE = 365 * 24 * 3600
SUGGESTION_LIMIT = 8
FAILURE_DAYS = 30
FAILURE_LIMIT = 100


def preferred_region(request: HttpRequest) -> Region | None:
    """The district the visitor chose here, else the signed-in citizen's own district."""
    code = request.COOKIES.get(REGION_COOKIE, "")
    if code.isdigit():
        chosen = region_districts().filter(code=code).first()
        if chosen is not None:
            return chosen
    person = getattr(request.user, "person", None) if request.user.is_authenticated else None
    region = getattr(person, "region", None)
    if region is None:
        return None
    # A citizen registered in a street or village is ranked by their district.
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
        context.update(
            result=result,
            rows=[
                HitRow(hit, _label(ItemLevel, hit.level), _label(OnlineDepth, hit.online_depth))
                for hit in result.hits
            ],
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
    suggestions = selectors.search_suggest(query, limit=SUGGESTION_LIMIT) if query.strip() else []
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
