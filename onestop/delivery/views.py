"""The issuance window (统一出件窗口) for clerks, and the pickup locker's screen (a hall device
of the centre). Interfaces only: parse, call one service or selector, render. Every refusal
is shown with its message and changes nothing (a wrong pickup code is counted: that is the
point of counting)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from onestop.cases import selectors as cases
from onestop.cases import services as case_services
from onestop.centres import selectors as centres
from onestop.core.errors import DomainError
from onestop.delivery import selectors, services
from onestop.delivery.enums import CompartmentSize, PickupOutcome
from onestop.delivery.policies import RULES, Perm
from onestop.identity.actors import device_or_staff_of, staff_of
from onestop.identity.services import person_identify_by_card

CENTRE_SESSION_KEY = "delivery_centre"
# Seconds the locker's screen shows an open door or a refusal before it clears itself for
# the next person.
LOCKER_SCREEN_TIMEOUT = 30


def _centre_for(request: HttpRequest, actor: Any, perm: Perm) -> Any:
    """The centre the page works for: one where the account holds `perm` through its own
    centre role; `?centre=<id>` picks among several."""
    ids = sorted(RULES.coverage(actor, perm).centre_ids or ())
    if not ids:
        raise PermissionDenied
    wanted = request.GET.get("centre") or request.session.get(CENTRE_SESSION_KEY)
    try:
        centre_id = int(wanted) if wanted and int(wanted) in ids else ids[0]
    except ValueError:
        centre_id = ids[0]
    request.session[CENTRE_SESSION_KEY] = centre_id
    return centres.centre_get_by_id(centre_id)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _window_action(actor: Any, request: HttpRequest) -> str:
    action = request.POST.get("action", "")
    case_id = _int(request.POST.get("case_id"))
    if action == "handover":
        person = person_identify_by_card(raw=request.POST.get("card", ""), device=actor)
        case = services.handover_at_window(actor=actor, case_id=case_id, person_id=person.pk)
        return _("Case %(number)s handed over.") % {"number": case.number}
    if action == "deposit":
        made = services.deposit_make(
            actor=actor, case_id=case_id, size=request.POST.get("size", "")
        )
        return _("Put in compartment %(compartment)s; the applicant was sent the pickup code.") % {
            "compartment": made.deposit.compartment
        }
    if action == "courier":
        shipment = services.shipment_dispatch(
            actor=actor,
            case_id=case_id,
            carrier=request.POST.get("carrier", ""),
            tracking_number=request.POST.get("tracking_number", ""),
        )
        return _("Sent by %(carrier)s, tracking number %(number)s.") % {
            "carrier": shipment.carrier,
            "number": shipment.tracking_number,
        }
    if action == "confirm":
        shipment = services.shipment_confirm(
            actor=actor, shipment_id=_int(request.POST.get("shipment_id"))
        )
        return _("Delivery by courier confirmed (%(number)s).") % {
            "number": shipment.tracking_number
        }
    raise DomainError("unknown_action", _("Choose what to do with the result."))


@never_cache
@require_http_methods(["GET", "POST"])
def window(request: HttpRequest) -> HttpResponse:
    actor = staff_of(request)
    centre = _centre_for(request, actor, Perm.ISSUE)
    status = 200
    error = ""
    revealed: dict[int, Any] = {}
    if request.method == "POST" and request.POST.get("action") == "address":
        # The full address for the waybill: shown on this response only, its reading
        # recorded on the case's timeline and in the audit log.
        case_id = _int(request.POST.get("case_id"))
        try:
            revealed[case_id] = case_services.case_courier_address_reveal(
                actor=actor, case_id=case_id
            )
        except DomainError as refused:
            error, status = refused.message, refused.status
    elif request.method == "POST":
        try:
            messages.success(request, _window_action(actor, request))
        except DomainError as refused:
            error, status = refused.message, refused.status
        else:
            return redirect("delivery:window")
    queue = list(selectors.issuance_queue(actor, centre.pk)[:100])
    deposits, shipments = selectors.deliveries_of([c.pk for c in queue])
    addresses = cases.courier_addresses_masked(
        actor, [c.pk for c in queue if c.delivery_method == "courier"]
    )
    rows = [
        (c, deposits.get(c.pk), shipments.get(c.pk), addresses.get(c.pk), revealed.get(c.pk))
        for c in queue
    ]
    lockers = [(lk, selectors.compartments_of(lk)) for lk in selectors.lockers_at(centre.pk)]
    context = {
        "centre": centre,
        "rows": rows,
        "lockers": lockers,
        "recovered": selectors.recovered_at(actor, centre.pk),
        "sizes": CompartmentSize.choices,
        "error": error,
    }
    return render(request, "delivery/window.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def locker(request: HttpRequest) -> HttpResponse:
    """The locker's screen: the card on the reader, the code on the keypad."""
    actor = device_or_staff_of(request)
    centre = _centre_for(request, actor, Perm.PICKUP)
    lockers = list(selectors.lockers_at(centre.pk))
    chosen = next(
        (lk for lk in lockers if str(lk.pk) == request.GET.get("locker")),
        lockers[0] if lockers else None,
    )
    context: dict[str, Any] = {
        "centre": centre,
        "locker": chosen,
        "lockers": lockers,
        "keep_days": services.KEEP_DAYS,
        "timeout": LOCKER_SCREEN_TIMEOUT,
    }
    if request.method == "GET" or chosen is None:
        return render(request, "delivery/locker.html", context)
    try:
        person = person_identify_by_card(raw=request.POST.get("card", ""), device=actor)
        result = services.locker_pickup(
            actor=actor,
            locker_id=_int(request.POST.get("locker_id")),
            person_id=person.pk,
            code=request.POST.get("code", ""),
        )
    except DomainError as refused:
        context["error"] = refused.message
        return render(request, "delivery/locker.html", context, status=refused.status)
    if result.outcome == PickupOutcome.OPENED:
        context["opened"] = result.deposit.compartment.label
        return render(request, "delivery/locker.html", context)
    if result.outcome == PickupOutcome.LOCKED:
        context["error"] = _(
            "Too many wrong codes: this compartment takes no code until %(time)s. "
            "Please ask at the issuance window."
        ) % {
            "time": f"{timezone.localtime(result.locked_until):%H:%M}"
            if result.locked_until
            else ""
        }
        return render(request, "delivery/locker.html", context, status=423)
    context["error"] = _(
        "The code is not right. %(left)d tries left before the compartment locks."
    ) % {"left": result.tries_left}
    return render(request, "delivery/locker.html", context, status=422)
