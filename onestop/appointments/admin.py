"""Appointments in the Django admin, for hall managers (their centres) and platform admins.

Templates, slots and bookings are shown read-only (templates are made with
`slot_template_create`, slots by the sweep, bookings by citizens); a template is switched on or
off by an action. No-show blocks are listed and lifted by an action that asks for a reason,
through `booking_block_lift`, which audits it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from onestop.appointments import policies, services
from onestop.appointments.models import (
    Booking,
    BookingBlock,
    BookingEvent,
    CentreRules,
    Slot,
    SlotTemplate,
)
from onestop.appointments.policies import Perm
from onestop.appointments.services.rules import FIELDS
from onestop.core.access import Place
from onestop.core.errors import DomainError
from onestop.identity.actors import optional_actor, staff_of


class ScopedReadOnly(admin.ModelAdmin):
    """Visible to platform admins and to hall managers for their own centres; never edited
    here."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        coverage = policies.RULES.coverage(optional_actor(request), Perm.MANAGE_CENTRE)
        return super().get_queryset(request).filter(coverage.q(centre="centre_id"))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not policies.RULES.coverage(optional_actor(request), Perm.MANAGE_CENTRE).nothing

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SlotTemplate)
class SlotTemplateAdmin(ScopedReadOnly):
    list_display = (
        "centre",
        "category",
        "item_key",
        "weekdays",
        "start",
        "end",
        "length_minutes",
        "capacity",
        "is_active",
    )
    list_filter = ("is_active", "category", "centre")
    list_select_related = ("centre", "category")
    actions = ("activate", "deactivate")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Only so the actions show; the service checks each template's centre.
        return self.has_view_permission(request)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in SlotTemplate._meta.fields]

    def _set_active(self, request: HttpRequest, queryset: QuerySet[Any], active: bool) -> None:
        for template in queryset:
            try:
                services.slot_template_set_active(
                    actor=staff_of(request), template_id=template.pk, active=active
                )
            except DomainError as error:
                messages.error(request, f"{template}: {error.message}")

    @admin.action(description=_("Switch on"))
    def activate(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._set_active(request, queryset, True)

    @admin.action(description=_("Switch off (slots already made stay)"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._set_active(request, queryset, False)


@admin.register(Slot)
class SlotAdmin(ScopedReadOnly):
    list_display = ("starts_at", "ends_at", "centre", "category", "item_key", "capacity", "booked")
    list_filter = ("day", "category", "centre")
    list_select_related = ("centre", "category")
    date_hierarchy = "day"
    show_full_result_count = False


class BookingEventInline(admin.TabularInline):
    """The booking's timeline, read-only: the BOOKING machine writes it."""

    model = BookingEvent
    fields = ("at", "action", "from_state", "to_state", "actor", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Whoever may see the booking (the booking's admin decides) sees its timeline.
        return True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Booking)
class BookingAdmin(ScopedReadOnly):
    inlines = (BookingEventInline,)
    list_display = ("code", "state", "day", "centre", "category", "person_masked", "created_at")
    list_filter = ("state", "day", "category", "centre")
    list_select_related = ("centre", "category", "person")
    search_fields = ("code",)
    date_hierarchy = "day"
    show_full_result_count = False
    exclude = ("person",)

    @admin.display(description=_("Person"))
    def person_masked(self, booking: Booking) -> str:
        return booking.person.id_number_masked


@admin.register(CentreRules)
class CentreRulesAdmin(ScopedReadOnly):
    """A centre's own booking rules; a blank field takes the setting. Saved through
    `centre_rules_set`, which checks the centre and audits the change."""

    list_display = ("centre", *FIELDS)
    list_select_related = ("centre",)
    fields = ("centre", *FIELDS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return self.has_view_permission(request)
        return policies.RULES.can(
            optional_actor(request), Perm.MANAGE_CENTRE, Place(centre_id=obj.centre_id)
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["centre"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            saved = services.centre_rules_set(
                actor=staff_of(request),
                centre_id=obj.centre_id,
                **{field: form.cleaned_data.get(field) for field in FIELDS},
            )
        except DomainError as error:
            messages.error(request, error.message)
            return
        obj.pk = saved.pk


class LiftForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, max_length=500)


@admin.register(BookingBlock)
class BookingBlockAdmin(admin.ModelAdmin):
    list_display = ("person_masked", "no_shows", "starts_at", "ends_at", "lifted_at", "lifted_by")
    list_filter = ("lifted_at",)
    list_select_related = ("person", "lifted_by")
    actions = ("lift",)
    exclude = ("person",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in BookingBlock._meta.fields if f.name != "person"]

    @admin.display(description=_("Person"))
    def person_masked(self, block: BookingBlock) -> str:
        return block.person.id_number_masked

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policies.RULES.can(optional_actor(request), Perm.LIFT_BLOCK)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Lift the block (with a reason)"))
    def lift(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse | None:
        form = LiftForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(
                request,
                "appointments/admin_lift.html",
                {**self.admin_site.each_context(request), "blocks": queryset, "form": form},
            )
        lifted = 0
        for block in queryset:
            try:
                services.booking_block_lift(
                    actor=staff_of(request), block_id=block.pk, reason=form.cleaned_data["reason"]
                )
                lifted += 1
            except DomainError as error:
                messages.error(request, error.message)
        if lifted:
            messages.success(request, _("Blocks lifted: %(n)d") % {"n": lifted})
        return None
