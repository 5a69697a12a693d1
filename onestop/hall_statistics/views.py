"""The hall manager's statistics pages: the live board (an htmx fragment polled every few
seconds), the tables of a range of days, and their CSV export."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from onestop.centres.selectors import centre_get
from onestop.core.errors import NotFound
from onestop.hall_statistics import columns, exporting, overview, policies, selectors
from onestop.hall_statistics.enums import TableBy
from onestop.hall_statistics.forms import StatisticsFilter
from onestop.hall_statistics.policies import Perm
from onestop.identity.actors import request_actor, staff_of

LIVE_REFRESH_SECONDS = 5


def _centre(request: HttpRequest, code: str) -> Any:
    try:
        centre = centre_get(code)
    except NotFound:
        raise Http404 from None
    if not policies.RULES.can(request_actor(request), Perm.VIEW, centre.place):
        raise PermissionDenied
    return centre


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The centres the actor may read; straight to the one a hall manager has."""
    centres = selectors.statistics_centres(staff_of(request))
    if not centres:
        raise PermissionDenied
    if len(centres) == 1:
        return redirect("hall_statistics:centre", code=centres[0].code)
    return render(request, "hall_statistics/index.html", {"centres": centres})


def _live_context(request: HttpRequest, centre: Any) -> dict[str, Any]:
    return {
        "board": selectors.live_board(actor=staff_of(request), centre=centre),
        "refresh_seconds": LIVE_REFRESH_SECONDS,
    }


def _quick_ranges(today: date) -> list[tuple[str | Promise, date, date]]:
    return [
        (_("Today"), today, today),
        (_("Last 7 days"), today - timedelta(days=6), today),
        (_("Last 30 days"), today - timedelta(days=29), today),
    ]


@require_GET
def centre_page(request: HttpRequest, code: str) -> HttpResponse:
    centre = _centre(request, code)
    form = StatisticsFilter(request.GET)
    context: dict[str, Any] = {
        "centre": centre,
        "form": form,
        "tables": TableBy.choices,
        "columns": columns.COLUMNS,
        "groups": columns.column_groups(),
        "ranges": _quick_ranges(timezone.localdate()),
        **_live_context(request, centre),
    }
    status = 200
    if form.is_valid():
        by = form.cleaned_data["by"]
        result = selectors.statistics_tables(
            actor=staff_of(request),
            centre=centre,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            by=[by],
            with_overview=True,
        )
        assert result.overview is not None
        context.update(
            overview=result.overview,
            chart_data=overview.chart_data(result.overview, get_language() or ""),
            # The table is the detail: open when the reader chose one (a tab, a bookmark).
            detail_open="by" in request.GET,
            by=by,
            by_label=TableBy(by).label,
            rows=[
                (row, [columns.cell_text(c, row) for c in columns.COLUMNS])
                for row in result.tables[by]
            ],
            query=request.GET.urlencode(),
            start=result.start,
            end=result.end,
        )
    else:
        status = 422
    return render(request, "hall_statistics/centre.html", context, status=status)


@never_cache
@require_GET
def live(request: HttpRequest, code: str) -> HttpResponse:
    centre = _centre(request, code)
    return render(request, "hall_statistics/_live.html", _live_context(request, centre))


@require_GET
def export(request: HttpRequest, code: str, by: str) -> HttpResponse:
    centre = _centre(request, code)
    if by not in TableBy.values:
        raise Http404
    form = StatisticsFilter({**request.GET.dict(), "by": by})
    if not form.is_valid():
        return HttpResponse(
            "; ".join(str(e) for errors in form.errors.values() for e in errors),
            status=422,
            content_type="text/plain; charset=utf-8",
        )
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    result = selectors.statistics_tables(
        actor=staff_of(request), centre=centre, start=start, end=end, by=[by]
    )
    body = exporting.table_csv(str(TableBy(by).label), result.tables[by])
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    filename = f"hall-{centre.code}-{by}-{start:%Y%m%d}-{end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
