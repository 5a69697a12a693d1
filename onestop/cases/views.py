"""The pages of cases: tracking by number and phone (public), the applicant's own cases and
online application, the window clerk's start of an application, the approver's inbox, and
one case page whose actions depend on who looks. Each view parses, calls one service or
selector, and renders; a refused request shows the service's message and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onestop.cases import documents, figures, licensing, selectors, services
from onestop.cases.enums import (
    DECISIONS,
    CaseResult,
    CaseState,
    DeliveryMethod,
    ErrorCode,
    Provision,
    SpecialProcedure,
    StepKind,
)
from onestop.cases.forms import FiguresFilter
from onestop.cases.models import Case, CorrectionNotice
from onestop.cases.policies import RULES, Perm
from onestop.cases.values import Courier
from onestop.catalog import selectors as catalog
from onestop.catalog.enums import ItemLevel
from onestop.centres import selectors as centres
from onestop.core.access import Place
from onestop.core.errors import DomainError, NotFound
from onestop.hall import selectors as hall
from onestop.identity import selectors as identity
from onestop.identity.actors import Citizen, StaffUser, optional_actor
from onestop.ratings import selectors as ratings
from onestop.ratings.enums import BAD_LEVELS, RatingLevel
from onestop.search import selectors as search

# Rows of each list on the clerk's window page.
WINDOW_LIST = 50


def _language(request: HttpRequest) -> str:
    return (getattr(request, "LANGUAGE_CODE", "") or "zh-hans").lower()


def _clock_context(case: Case) -> dict[str, Any]:
    clock = selectors.case_clock(case, timezone.localdate())
    return {
        "clock": clock,
        "clock_running": case.state in selectors.CLOCK_STATES,
        "working_days": case.limit_unit in ("working_days", "immediate", "hours"),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Anyone with the case number and the applicant's mobile number sees where it stands:
    the state, the timeline in plain words and the days left, no personal data."""
    case = None
    error = ""
    status = 200
    number = phone = ""
    if request.method == "POST":
        number = request.POST.get("number", "").strip()[:64]
        phone = request.POST.get("phone", "").strip()[:40]
        try:
            case = selectors.case_track(number, phone)
        except NotFound:
            error = _("No case matches this number and phone. Check both and try again.")
            status = 404
    context: dict[str, Any] = {"case": case, "error": error, "number": number, "phone": phone}
    if case is not None:
        context.update(_clock_context(case))
        context["timeline"] = selectors.case_timeline_days(case)
    return render(request, "cases/track.html", context, status=status)


def _citizen(request: HttpRequest) -> Citizen:
    actor = optional_actor(request)
    if not isinstance(actor, Citizen):
        raise PermissionDenied
    return actor


def _staff(request: HttpRequest) -> StaffUser:
    actor = optional_actor(request)
    if not isinstance(actor, StaffUser):
        raise PermissionDenied
    return actor


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    citizen = _citizen(request)
    cases = list(selectors.case_list_mine(citizen)[:100])
    today = timezone.localdate()
    rows = [(case, selectors.case_clock(case, today)) for case in cases]
    return render(
        request, "cases/mine.html", {"rows": rows, "clock_states": selectors.CLOCK_STATES}
    )


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, item_key: str) -> HttpResponse:
    """Start an online application for the published version of an item: the checklist,
    and how to receive the result. Materials are added on the case's page, as a draft."""
    citizen = _citizen(request)
    try:
        item = catalog.item_current(item_key)
    except NotFound:
        raise Http404 from None
    error = ""
    status = 200
    posted = _courier_posted(request)
    if request.method == "POST":
        try:
            case = services.case_draft_create(
                actor=citizen,
                item_key=item_key,
                delivery_method=request.POST.get("delivery_method", ""),
                courier=_courier(posted),
                phone=request.POST.get("phone", ""),
                language=_language(request),
            )
        except DomainError as exc:
            error, status = exc.message, exc.status
        else:
            return redirect("cases:detail", case_id=case.pk)
    checklist = catalog.item_checklist(item)
    covered = licensing.materials_covered(citizen.person_id, checklist.bring)
    context = {
        "item": item,
        "checklist": replace(checklist, bring=[m for m in checklist.bring if m.pk not in covered]),
        "from_licences": [(m, covered[m.pk]) for m in checklist.bring if m.pk in covered],
        "deliveries": DeliveryMethod.choices,
        "posted": {**posted, "delivery_method": request.POST.get("delivery_method", "")},
        "error": error,
    }
    return render(request, "cases/apply.html", context, status=status)


def _courier_posted(request: HttpRequest) -> dict[str, str]:
    """The courier's details as typed, to check and to show again after a refusal."""
    return {
        name: request.POST.get(name, "")[:400]
        for name in ("courier_recipient", "courier_phone", "courier_address")
    }


def _courier(posted: dict[str, str]) -> Courier | None:
    """The typed details for the service to check; None when nothing was typed (the service
    asks for them if the courier was chosen)."""
    if not any(
        posted[name].strip() for name in ("courier_recipient", "courier_phone", "courier_address")
    ):
        return None
    return Courier(posted["courier_recipient"], posted["courier_phone"], posted["courier_address"])


@require_http_methods(["GET", "POST"])
def window_start(request: HttpRequest) -> HttpResponse:
    """The clerk starts an application for the visitor at their window: the visitor of the
    called ticket is the applicant (or someone identified by ID or social-security card
    number), the service is found by searching the catalog in the visitor's words, and the
    materials are checked on the next page."""
    clerk = _staff(request)
    centre_ids = sorted(RULES.coverage(clerk, Perm.WINDOW).centre_ids)
    if not centre_ids:
        raise PermissionDenied
    window = hall.clerk_window(clerk)
    ticket, visit = hall.window_visit(window) if window else (None, None)
    centre_id = window.centre_id if window and window.centre_id in centre_ids else centre_ids[0]
    centre = centres.centre_get_by_id(centre_id)
    query = request.GET.get("q", request.POST.get("q", "")).strip()
    posted = {
        "id_number": request.POST.get("id_number", "").strip(),
        "item_key": request.POST.get("item_key", request.GET.get("item", "")).strip(),
        "delivery_method": request.POST.get("delivery_method", DeliveryMethod.WINDOW),
        **_courier_posted(request),
    }
    error = ""
    status = 200
    if request.method == "POST":
        try:
            person_id = _window_applicant(
                posted["id_number"], ticket.person_id if ticket is not None else None
            )
            case = services.case_start_at_window(
                actor=clerk,
                centre_id=centre_id,
                item_key=posted["item_key"],
                applicant=services.Applicant(person_id=person_id),
                ticket_id=ticket.pk if ticket is not None else None,
                delivery_method=posted["delivery_method"],
                courier=_courier(posted),
                language=_language(request),
            )
        except DomainError as exc:
            error, status = exc.message, exc.status
        else:
            return redirect("cases:detail", case_id=case.pk)
    found = _items_found(query, centre.region.code) if query else None
    context = {
        "posted": posted,
        "query": query,
        "found": found,
        "chosen": _item_or_none(posted["item_key"]),
        "ticket": ticket,
        "visit": visit,
        "window": window,
        "centre": centre,
        "error": error,
        "deliveries": DeliveryMethod.choices,
        # The centre's applications to check, and its results to hand over.
        "waiting": list(selectors.case_window_list(clerk, centre_id)[:WINDOW_LIST]),
        "results": list(selectors.case_issuance_list(clerk, centre_id)[:WINDOW_LIST]),
    }
    return render(request, "cases/window_start.html", context, status=status)


def _items_found(query: str, region_code: str) -> search.SearchPage:
    """The catalog's answer to the visitor's words, without the provincial items no city
    window accepts."""
    page = search.search_items(query, prefer_region_code=region_code, page_size=12)
    return replace(page, hits=[h for h in page.hits if h.level != ItemLevel.PROVINCE][:8])


def _item_or_none(item_key: str) -> Any:
    if not item_key:
        return None
    try:
        return catalog.item_current(item_key)
    except NotFound:
        return None


def _window_applicant(typed: str, visitor_id: int | None) -> int:
    """The applicant: the person typed in (resident ID or social-security card number), or
    else the visitor of the called ticket (`visitor_id`, their person's id)."""
    if typed:
        # A resident ID has 15 or 18 characters, a social-security card number 9 to 12.
        by_id = len(typed) in (15, 18)
        person = (
            identity.person_find_by_id_number(typed)
            if by_id
            else identity.person_find_by_card(typed)
        )
        if person is None:
            raise DomainError(
                ErrorCode.APPLICANT_REQUIRED,
                _("No registered person has this ID or social-security card number."),
            )
        return person.pk
    if visitor_id is not None:
        return visitor_id
    raise DomainError(
        ErrorCode.APPLICANT_REQUIRED,
        _("Identify the applicant: read their card, or type the ID or card number."),
    )


@require_GET
def figures_page(request: HttpRequest) -> HttpResponse:
    """Figures per department and item for a range of days; `?format=csv` downloads them."""
    staff = _staff(request)
    if RULES.coverage(staff, Perm.FIGURES).nothing:
        raise PermissionDenied
    form = FiguresFilter(request.GET)
    if not form.is_valid():
        return render(request, "cases/figures.html", {"form": form, "rows": None}, status=400)
    first, last = form.cleaned_data["first"], form.cleaned_data["last"]
    rows = figures.case_figures(staff, first, last)
    if request.GET.get("format") == "csv":
        response = HttpResponse(figures.figures_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="cases-{first}-{last}.csv"'
        return response
    return render(request, "cases/figures.html", {"form": form, "rows": rows})


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    approver = _staff(request)
    if not RULES.can(approver, Perm.INBOX):
        raise PermissionDenied
    cases = selectors.case_inbox(approver)
    return render(request, "cases/inbox.html", {"cases": cases})


def _roles(actor: Any, case: Case) -> dict[str, bool]:
    place: Place = case.place
    return {
        "is_clerk": RULES.can(actor, Perm.WINDOW, place),
        "is_approver": RULES.can(actor, Perm.REVIEW, place),
        "is_head": RULES.can(actor, Perm.EXTEND, place),
        "is_applicant": RULES.can(actor, Perm.APPLY, place),
        "can_decide_now": selectors.is_on_the_spot(case)
        and RULES.can(actor, Perm.DECIDE_AT_WINDOW, place),
    }


def _rating_context(case: Case, roles: dict[str, bool]) -> dict[str, Any]:
    """The case's rating (好差评), and the form when its applicant may still rate it."""
    given = ratings.case_rating(case.pk) if case.closed_at is not None else None
    can_rate = (
        roles["is_applicant"] and given is None and selectors.case_rating_refusal(case) is None
    )
    return {
        "rating": given,
        "can_rate": can_rate,
        "levels": RatingLevel,
        "reasons": ratings.reason_list() if can_rate else [],
        "bad_levels": sorted(BAD_LEVELS),
    }


def _detail_context(actor: Any, case: Case) -> dict[str, Any]:
    notice = CorrectionNotice.objects.filter(case=case).first()
    roles = _roles(actor, case)
    materials = list(case.materials.select_related("material").order_by("id"))
    return {
        "case": case,
        "materials": materials,
        **licensing.case_licences_context(case, materials),
        "timeline": selectors.case_timeline_days(case),
        "notice": notice,
        "extensions": list(case.extensions.order_by("requested_at")),
        "decisions": [(value, CaseResult(value).label) for value in sorted(DECISIONS)],
        "procedures": SpecialProcedure.choices,
        "provisions": Provision,
        "states": CaseState,
        "steps": [(index, StepKind(step).label) for index, step in enumerate(case.steps)],
        **_clock_context(case),
        **roles,
        **_rating_context(case, roles),
    }


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0


def _upload(actor: Any, case: Case, request: HttpRequest) -> str:
    upload = request.FILES.get("file")
    if upload is None:
        raise DomainError("file_type", _("Choose a file to upload."))
    services.case_material_upload(
        actor=actor,
        case_id=case.pk,
        material_id=_int(request.POST.get("material_id", "")),
        content=upload,
        filename=upload.name or "",
    )
    return _("The file was added.")


def _provide(actor: Any, case: Case, request: HttpRequest) -> str:
    services.case_material_provide(
        actor=actor,
        case_id=case.pk,
        material_id=_int(request.POST.get("material_id", "")),
        provision=request.POST.get("action", ""),
        e_licence_ref=request.POST.get("e_licence_ref", ""),
    )
    return _("The material was recorded.")


def _notice(actor: Any, case: Case, request: HttpRequest) -> str:
    problems = []
    for line in case.materials.all():
        text = request.POST.get(f"problem_{line.pk}", "").strip()
        if text:
            problems.append(services.Problem(line.material_id, text))
    other = request.POST.get("problem_other", "").strip()
    if other:
        problems.append(services.Problem(None, other))
    services.case_correction_request(actor=actor, case_id=case.pk, problems=problems)
    return _("The one-time notice was issued.")


def _refuse(actor: Any, case: Case, request: HttpRequest) -> str:
    services.case_refuse_acceptance(
        actor=actor, case_id=case.pk, reason=request.POST.get("reason", "")
    )
    return _("The application was not accepted.")


def _decide(actor: Any, case: Case, request: HttpRequest) -> str:
    services.case_decide(
        actor=actor,
        case_id=case.pk,
        result=request.POST.get("result", ""),
        reason=request.POST.get("reason", ""),
    )
    return _("The decision was recorded.")


def _suspend(actor: Any, case: Case, request: HttpRequest) -> str:
    services.case_suspend(
        actor=actor,
        case_id=case.pk,
        procedure=request.POST.get("procedure", ""),
        reason=request.POST.get("reason", ""),
        days=_int(request.POST.get("days", "")),
    )
    return _("The special procedure has started; the clock is paused.")


def _extension(actor: Any, case: Case, request: HttpRequest) -> str:
    services.case_extension_request(
        actor=actor,
        case_id=case.pk,
        days=_int(request.POST.get("days", "")),
        reason=request.POST.get("reason", ""),
    )
    return _("The extension was sent to the head for approval.")


def _extension_decide(actor: Any, case: Case, request: HttpRequest) -> str:
    services.case_extension_decide(
        actor=actor,
        extension_id=_int(request.POST.get("extension_id", "")),
        approve=request.POST.get("action") == "extension_approve",
    )
    return _("The extension was decided.")


def _withdraw(actor: Any, case: Case, request: HttpRequest) -> str:
    services.case_withdraw(actor=actor, case_id=case.pk, reason=request.POST.get("reason", ""))
    return _("The application was withdrawn.")


def _decide_now(actor: Any, case: Case, request: HttpRequest) -> str:
    decided = services.case_decide_at_window(actor=actor, case_id=case.pk)
    if decided.state == CaseState.DELIVERED:
        return _("Accepted and decided on the spot; the result was handed over.")
    return _("Accepted and decided on the spot; the result waits at the issuance window.")


def _rate(actor: Any, case: Case, request: HttpRequest) -> str:
    services.case_rate(
        actor=actor,
        case_id=case.pk,
        level=request.POST.get("level", ""),
        reasons=request.POST.getlist("reasons"),
        comment=request.POST.get("comment", ""),
    )
    return _("Thank you for rating this case.")


def _simple(service: Callable[..., object], message: Promise) -> Handler:
    def handle(actor: Any, case: Case, request: HttpRequest) -> str:
        service(actor=actor, case_id=case.pk)
        return str(message)

    return handle


Handler = Callable[[Any, Case, HttpRequest], str]

ACTIONS: dict[str, Handler] = {
    "upload": _upload,
    "paper": _provide,
    "e_licence": _provide,
    "notice": _notice,
    "refuse_acceptance": _refuse,
    "decide": _decide,
    "suspend": _suspend,
    "extension": _extension,
    "extension_approve": _extension_decide,
    "extension_refuse": _extension_decide,
    "withdraw": _withdraw,
    "rate": _rate,
    "decide_now": _decide_now,
    "submit": _simple(services.case_submit, gettext_lazy("Your application was submitted.")),
    "take": _simple(services.case_take, gettext_lazy("You are checking this application.")),
    "answer": _simple(services.case_correction_answer, gettext_lazy("The corrections were sent.")),
    "accept": _simple(services.case_accept, gettext_lazy("The application was accepted.")),
    "start_review": _simple(
        services.case_review_start, gettext_lazy("The case is yours to review.")
    ),
    "step": _simple(services.case_step_complete, gettext_lazy("The step was completed.")),
    "resume": _simple(services.case_resume, gettext_lazy("The special procedure has ended.")),
    "produce": _simple(services.case_result_produce, gettext_lazy("The result was produced.")),
    "dispatch": _simple(
        services.case_dispatch, gettext_lazy("The result is at the issuance window.")
    ),
    "deliver": _simple(services.case_deliver, gettext_lazy("The result was handed over.")),
}


def _act(actor: Any, case: Case, request: HttpRequest) -> str:
    """Run the action the form names; the message to show."""
    handler = ACTIONS.get(request.POST.get("action", ""))
    if handler is None:
        raise DomainError("illegal_transition", _("Unknown action."))
    return handler(actor, case, request)


@never_cache
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = optional_actor(request)
    if actor is None:
        raise PermissionDenied
    try:
        case = selectors.access_case(actor, case_id, Perm.VIEW)
    except NotFound:
        raise Http404 from None
    error = ""
    status = 200
    if request.method == "POST":
        try:
            message = _act(actor, case, request)
        except DomainError as exc:
            error, status = exc.message, exc.status
        else:
            messages.success(request, message)
            return redirect("cases:detail", case_id=case.pk)
        case = selectors.access_case(actor, case_id, Perm.VIEW)
    context = {**_detail_context(actor, case), "error": error}
    return render(request, "cases/detail.html", context, status=status)


@require_GET
def document(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    """The acceptance receipt (受理通知书) or the one-time notice (一次性告知书) as PDF, for
    the clerk to print or the applicant to keep."""
    actor = optional_actor(request)
    if actor is None:
        raise PermissionDenied
    try:
        case = selectors.access_case(actor, case_id, Perm.VIEW)
    except NotFound:
        raise Http404 from None
    track_url = request.build_absolute_uri(reverse("cases:track"))
    facts = [
        _("Case number: %(number)s") % {"number": case.number or "—"},
        _("Service: %(item)s") % {"item": case.item_name},
        _("Deciding department: %(department)s") % {"department": case.department.name},
    ]
    if case.centre is not None:
        facts.append(_("Accepting centre: %(centre)s") % {"centre": case.centre.name})
    if kind == "receipt" and case.accepted_at is not None:
        title = _("Acceptance receipt")
        facts.append(
            _("Accepted on: %(date)s") % {"date": timezone.localtime(case.accepted_at).date()}
        )
        if case.due_date:
            facts.append(_("Promised to be decided by: %(date)s") % {"date": case.due_date})
    elif kind == "notice" and hasattr(case, "notice"):
        notice = case.notice
        title = _("One-time notice")
        facts.append(
            _("Provide everything below by %(date)s. Nothing else will be asked for.")
            % {"date": notice.answer_by}
        )
        facts.extend(
            f"{index}. {p['name'] + ': ' if p['name'] else ''}{p['problem']}"
            for index, p in enumerate(notice.problems, start=1)
        )
    else:
        raise Http404
    facts.append(
        _("Track it with the case number and your mobile number: %(url)s") % {"url": track_url}
    )
    response = HttpResponse(
        documents.document_pdf(title, facts, track_url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{kind}-{case.number or case.pk}.pdf"'
    return response


@require_POST
def sweep(request: HttpRequest) -> HttpResponse:
    """A platform admin runs the deadline sweep now (it also runs periodically)."""
    report = services.case_deadline_sweep(actor=_staff(request))
    messages.success(request, _("%(changed)d cases updated.") % {"changed": report.changed})
    return redirect("cases:inbox")
