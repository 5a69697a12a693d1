"""The hotline's pages: the agent's console (take a call), an order's page for the hotline
and the handling department, the department's inbox, and the citizen's tracking page. Each
view parses, calls one service or selector, and renders; a refused request is shown with
the service's message and changes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onestop.core.errors import DomainError
from onestop.core.models import Department, Region
from onestop.hotline import metrics, selectors, services
from onestop.hotline.enums import (
    Channel,
    OrderKind,
    OrderState,
    PartState,
    Satisfaction,
    Urgency,
)
from onestop.hotline.models import WorkOrder
from onestop.hotline.policies import RULES, Perm
from onestop.hotline.suggest import default_suggester
from onestop.identity.actors import StaffUser, optional_actor


def _staff(request: HttpRequest, perm: str) -> StaffUser:
    actor = optional_actor(request)
    if not isinstance(actor, StaffUser) or not RULES.can(actor, perm):
        raise PermissionDenied
    return actor


def _communities() -> list[Region]:
    # Streets and communities of the city, for the location picker.
    return list(
        Region.objects.filter(code__startswith="4401", level__gte=2)
        .select_related("parent")
        .order_by("code")
    )


def _request_from(data: Any) -> services.OrderInput:
    return services.OrderInput(
        kind=data.get("kind", ""),
        category_code=data.get("category", ""),
        region_code=data.get("region", ""),
        text=data.get("text", ""),
        title=data.get("title", ""),
        address=data.get("address", ""),
        contact_name=data.get("contact_name", ""),
        contact_phone=data.get("phone", ""),
        is_anonymous=data.get("anonymous") == "on",
        urgency=data.get("urgency", Urgency.NORMAL),
    )


def _assist(request: HttpRequest, agent: StaffUser, order_id: int, data: Any) -> None:
    """The assisting departments the agent chose at dispatch, each with the same part; one
    refused is said on the order's page, the order stays dispatched."""
    for department in data.getlist("assist"):
        try:
            services.order_part_add(
                actor=agent,
                order_id=order_id,
                department_id=department,
                task=data.get("assist_task", ""),
            )
        except DomainError as exc:
            messages.error(request, exc.message)


@never_cache
@require_http_methods(["GET", "POST"])
def console(request: HttpRequest) -> HttpResponse:
    """Take a call: look the caller up, see similar open orders nearby and suggested classes,
    then answer a consultation at once or create the order and dispatch it. Everything is
    posted, so the caller's number stays out of addresses and logs."""
    agent = _staff(request, Perm.TAKE)
    data = request.POST if request.method == "POST" else request.GET
    error = ""
    status = 200
    if request.method == "POST" and data.get("action") in ("dispatch", "answer"):
        try:
            order = services.order_create(
                actor=agent,
                channel=Channel.PHONE,
                request=_request_from(data),
                uploads=_uploads(request.FILES),
            )
            if data.get("action") == "answer":
                services.order_consultation_answer(
                    actor=agent, order_id=order.pk, answer=data.get("answer", "")
                )
                messages.success(
                    request, _("Order %(number)s answered and closed.") % {"number": order.number}
                )
            else:
                department = data.get("department", "")
                services.order_dispatch(
                    actor=agent,
                    order_id=order.pk,
                    department_id=int(department) if department.isdigit() else None,
                )
                messages.success(
                    request, _("Order %(number)s dispatched.") % {"number": order.number}
                )
                _assist(request, agent, order.pk, data)
            return redirect("hotline:order", order_id=order.pk)
        except DomainError as exc:
            error, status = exc.message, exc.status
    text = data.get("text", "")
    phone = data.get("phone", "")
    region_code = data.get("region", "")
    suggestions = default_suggester().suggest(text) if text else []
    chosen = data.get("category", "") or (suggestions[0].category.code if suggestions else "")
    routed = None
    region = Region.objects.filter(code=region_code).first() if region_code else None
    if chosen and region is not None:
        try:
            routed = selectors.route_department(selectors.category_get(chosen), region)
        except DomainError:
            routed = None
    context = {
        "data": data,
        "error": error,
        "history": selectors.caller_history(agent, phone) if phone else [],
        "similar": (
            selectors.similar_open_orders(agent, text=text, region_code=region_code)
            if text and region_code
            else []
        ),
        "suggestions": suggestions,
        "chosen": chosen,
        "routed": routed,
        "categories": selectors.category_leaves(),
        "regions": _communities(),
        "departments": Department.objects.filter(is_active=True).order_by("code"),
        "kinds": OrderKind.choices,
        "urgencies": Urgency.choices,
    }
    return render(request, "hotline/console.html", context, status=status)


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The department's orders, by due time; nothing of any other department's."""
    handler = _staff(request, Perm.HANDLE)
    orders = list(selectors.department_inbox(handler)[:200])
    parts = list(selectors.department_parts(handler)[:200])
    return render(request, "hotline/inbox.html", {"orders": orders, "parts": parts})


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The dispatcher's lists: orders to dispatch, extensions to decide, far overdue."""
    dispatcher = _staff(request, Perm.SUPERVISE)
    context = {
        "to_dispatch": list(selectors.dispatch_queue(dispatcher)[:200]),
        "extensions": list(selectors.pending_extensions(dispatcher)[:200]),
        "far_overdue": list(selectors.far_overdue(dispatcher)[:200]),
    }
    return render(request, "hotline/queue.html", context)


def _order_context(actor: StaffUser, order_id: int) -> dict[str, Any]:
    order = selectors.access_order(actor, order_id)
    place = order.place
    return {
        "order": order,
        "contact": selectors.order_contact(order, actor),
        "events": selectors.order_timeline(order),
        "parts": selectors.order_parts(order),
        "attachments": selectors.order_attachments(order),
        "path": selectors.category_path(order.category),
        "can_handle": RULES.can(actor, Perm.HANDLE, place),
        "can_dispatch": RULES.can(actor, Perm.DISPATCH, place),
        "can_supervise": RULES.can(actor, Perm.SUPERVISE, place),
        "can_visit": RULES.can(actor, Perm.RETURN_VISIT, place),
        "satisfactions": Satisfaction.choices,
        "departments": Department.objects.filter(is_active=True).order_by("code"),
        "states": OrderState,
        "part_states": PartState,
        "can_attach": RULES.can(actor, Perm.TAKE, place) or RULES.can(actor, Perm.HANDLE, place),
        "max_files": services.ATTACHMENTS_MAX,
    }


@never_cache
@require_GET
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    actor = _staff(request, Perm.READ)
    try:
        context = _order_context(actor, order_id)
    except DomainError as exc:
        return render(request, "404.html", {"message": exc.message}, status=404)
    return render(request, "hotline/order.html", context)


ACTIONS = {
    "accept": lambda actor, pk, d, f: services.order_accept(actor=actor, order_id=pk),
    "return": lambda actor, pk, d, f: services.order_return(
        actor=actor, order_id=pk, reason=d.get("reason", "")
    ),
    "extend": lambda actor, pk, d, f: services.order_extension_request(
        actor=actor, order_id=pk, days=d.get("days", ""), reason=d.get("reason", "")
    ),
    "ask": lambda actor, pk, d, f: services.order_ask(
        actor=actor, order_id=pk, question=d.get("question", "")
    ),
    "reply": lambda actor, pk, d, f: services.order_reply(
        actor=actor, order_id=pk, reply=d.get("reply", "")
    ),
    "dispatch": lambda actor, pk, d, f: services.order_dispatch(
        actor=actor,
        order_id=pk,
        department_id=int(d["department"]) if d.get("department", "").isdigit() else None,
    ),
    "approve": lambda actor, pk, d, f: services.order_extension_decide(
        actor=actor, order_id=pk, approve=True
    ),
    "refuse": lambda actor, pk, d, f: services.order_extension_decide(
        actor=actor, order_id=pk, approve=False
    ),
    "visit": lambda actor, pk, d, f: services.order_return_visit(
        actor=actor,
        order_id=pk,
        resolved=d.get("resolved") == "yes",
        satisfaction=d.get("satisfaction", ""),
        comment=d.get("comment", ""),
    ),
    "close": lambda actor, pk, d, f: services.order_close(
        actor=actor, order_id=pk, reason=d.get("reason", "")
    ),
    "part_add": lambda actor, pk, d, f: services.order_part_add(
        actor=actor,
        order_id=pk,
        department_id=d.get("department", ""),
        task=d.get("task", ""),
        days=d.get("days", ""),
    ),
    "attach": lambda actor, pk, d, f: services.order_attach(
        actor=actor, order_id=pk, uploads=_uploads(f)
    ),
}


def _uploads(files: Any) -> list[services.Upload]:
    return [services.Upload(content=upload) for upload in files.getlist("files")]


@require_POST
def order_act(request: HttpRequest, order_id: int, action: str) -> HttpResponse:
    actor = _staff(request, Perm.READ)
    act = ACTIONS.get(action)
    if act is None:
        return render(request, "404.html", status=404)
    try:
        act(actor, order_id, request.POST, request.FILES)
    except DomainError as exc:
        try:
            context = _order_context(actor, order_id)
        except DomainError:
            return render(request, "404.html", {"message": exc.message}, status=404)
        return render(
            request, "hotline/order.html", {**context, "error": exc.message}, status=exc.status
        )
    messages.success(request, _("Done."))
    if not RULES.can(actor, Perm.READ, WorkOrder.objects.get(pk=order_id).place):
        # Returned by the department: it is no longer theirs to read.
        return redirect("hotline:inbox")
    return redirect("hotline:order", order_id=order_id)


def _day(value: str, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


@require_GET
def metrics_page(request: HttpRequest) -> HttpResponse:
    """The supervisors' figures for a range of days (today by default); `?format=csv`
    downloads them."""
    _staff(request, Perm.METRICS)
    today = timezone.localdate()
    last = _day(request.GET.get("last", ""), today)
    first = _day(request.GET.get("first", ""), last)
    if first > last or (last - first).days > 366:
        first = last
    figures = metrics.hotline_metrics(first, last)
    if request.GET.get("format") == "csv":
        response = HttpResponse(metrics.metrics_csv(figures), content_type="text/csv")
        response["Content-Disposition"] = (
            f'attachment; filename="hotline-{first.isoformat()}-{last.isoformat()}.csv"'
        )
        return response
    return render(request, "hotline/metrics.html", {"m": figures})


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """The citizen follows an order by its number and the phone they gave (posted, so the
    phone stays out of addresses and logs), answers a question, adds information, and
    answers the return visit."""
    context: dict[str, Any] = {"satisfactions": Satisfaction.choices}
    status = 200
    if request.method == "POST":
        number = request.POST.get("number", "")
        phone = request.POST.get("phone", "")
        action = request.POST.get("action", "")
        actor = optional_actor(request)
        context.update(number=number, phone=phone)
        try:
            if action == "answer":
                services.order_answer(
                    actor=actor, number=number, phone=phone, answer=request.POST.get("text", "")
                )
            elif action == "add":
                services.order_add_information(
                    actor=actor,
                    number=number,
                    phone=phone,
                    text=request.POST.get("text", ""),
                    uploads=_uploads(request.FILES),
                )
            elif action == "visit":
                services.order_return_visit_answer(
                    actor=actor,
                    number=number,
                    phone=phone,
                    resolved=request.POST.get("resolved") == "yes",
                    satisfaction=request.POST.get("satisfaction", ""),
                    comment=request.POST.get("comment", ""),
                )
            order = selectors.order_for_citizen(number, phone)
            context.update(order=order, events=selectors.order_timeline(order, public_only=True))
            if action:
                context["done"] = True
        except DomainError as exc:
            context["error"], status = exc.message, exc.status
    return render(request, "hotline/track.html", context, status=status)


def _part_context(actor: StaffUser, part_id: int) -> dict[str, Any]:
    part = selectors.access_part(actor, part_id)
    order = part.order
    return {
        "part": part,
        "order": order,
        # As a handling department sees the caller: nothing at all for a report.
        "contact": order.contact_for_department(),
        "events": list(part.events.select_related("department")),
        "attachments": selectors.order_attachments(order),
        "path": selectors.category_path(order.category),
        "can_handle": RULES.can(actor, Perm.HANDLE, part.place),
        "can_dispatch": RULES.can(actor, Perm.DISPATCH, order.place),
        "departments": Department.objects.filter(is_active=True).order_by("code"),
        "part_states": PartState,
    }


@never_cache
@require_GET
def part_detail(request: HttpRequest, part_id: int) -> HttpResponse:
    """An assisting department's part: the order as a handling department may see it, the
    part's task, deadline and history; nothing of the lead's or other parts' work."""
    actor = _staff(request, Perm.READ)
    try:
        context = _part_context(actor, part_id)
    except DomainError as exc:
        return render(request, "404.html", {"message": exc.message}, status=404)
    return render(request, "hotline/part.html", context)


PART_ACTIONS = {
    "accept": lambda actor, pk, d: services.part_accept(actor=actor, part_id=pk),
    "return": lambda actor, pk, d: services.part_return(
        actor=actor, part_id=pk, reason=d.get("reason", "")
    ),
    "reply": lambda actor, pk, d: services.part_reply(
        actor=actor, part_id=pk, reply=d.get("reply", "")
    ),
    "redispatch": lambda actor, pk, d: services.part_redispatch(
        actor=actor, part_id=pk, department_id=d.get("department", ""), days=d.get("days", "")
    ),
    "cancel": lambda actor, pk, d: services.part_cancel(
        actor=actor, part_id=pk, reason=d.get("reason", "")
    ),
}


@require_POST
def part_act(request: HttpRequest, part_id: int, action: str) -> HttpResponse:
    actor = _staff(request, Perm.READ)
    act = PART_ACTIONS.get(action)
    if act is None:
        return render(request, "404.html", status=404)
    try:
        part = act(actor, part_id, request.POST)
    except DomainError as exc:
        try:
            context = _part_context(actor, part_id)
        except DomainError:
            return render(request, "404.html", {"message": exc.message}, status=404)
        return render(
            request, "hotline/part.html", {**context, "error": exc.message}, status=exc.status
        )
    messages.success(request, _("Done."))
    if action in ("redispatch", "cancel"):
        return redirect("hotline:order", order_id=part.order_id)
    return redirect("hotline:part", part_id=part_id)


@require_GET
def attachment_file(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    """A file of an order, for the hotline's staff and the departments handling it; sent as
    the type its bytes were found to be, never guessed again by the browser."""
    actor = _staff(request, Perm.READ)
    try:
        attachment = selectors.access_attachment(actor, attachment_id)
    except DomainError as exc:
        return render(request, "404.html", {"message": exc.message}, status=404)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        filename=f"{attachment.order.number}-{attachment.pk}{attachment.extension}",
        as_attachment=not attachment.is_image,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
