"""The hall in the Django admin: read-only views. Every change goes through the services
(audited, on the ticket's timeline); the admin is for looking."""

from typing import Any

from django.contrib import admin

from onestop.hall.models import (
    HallRules,
    Ticket,
    TicketEvent,
    TicketPrefix,
    Window,
    WorkProfile,
    WorkProfileEntry,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Window)
class WindowAdmin(ReadOnly):
    list_display = ["centre", "number", "label", "state", "clerk", "profile"]
    list_filter = ["state", "centre"]


class EntryInline(ReadOnlyInline):
    model = WorkProfileEntry


@admin.register(WorkProfile)
class WorkProfileAdmin(ReadOnly):
    list_display = ["centre", "name", "mode", "is_active"]
    list_filter = ["centre"]
    inlines = [EntryInline]


@admin.register(TicketPrefix)
class TicketPrefixAdmin(ReadOnly):
    list_display = ["prefix", "kind", "category", "centre"]


@admin.register(HallRules)
class HallRulesAdmin(ReadOnly):
    list_display = ["centre", "fairness_minutes", "max_recalls", "recall_gap_seconds"]


class EventInline(ReadOnlyInline):
    model = TicketEvent
    fields = ["at", "action", "from_state", "to_state", "window", "actor", "reason"]


@admin.register(Ticket)
class TicketAdmin(ReadOnly):
    list_display = ["display", "centre", "service_day", "kind", "category", "state", "source"]
    list_filter = ["state", "kind", "source", "service_day"]
    search_fields = ["display"]
    # Personal data stays out of the list; the person is a link to their (masked) record.
    exclude = ["public_token"]
    inlines = [EventInline]
