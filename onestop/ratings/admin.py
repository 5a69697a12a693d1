"""The reasons list is configured here. Ratings and follow-ups are read here, and changed
only through their services (the rating page, the follow-up pages)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from onestop.ratings.models import FollowUpEvent, FollowUpTask, Rating, RatingReason


@admin.register(RatingReason)
class RatingReasonAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_i18n", "applies", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("applies", "is_active")

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        # Old ratings keep their reasons: retire a reason by making it inactive.
        return False

    def get_readonly_fields(self, request: Any, obj: Any = None) -> tuple[str, ...]:
        # The code is what exports and the API name; it does not change once given.
        return ("code",) if obj is not None else ()


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Rating)
class RatingAdmin(_ReadOnly):
    list_display = (
        "id",
        "centre",
        "service_day",
        "case_number",
        "window",
        "level",
        "is_named",
        "created_at",
    )
    list_filter = ("level", "is_named", "centre")
    fields = (
        "ticket",
        "case_number",
        "department",
        "item_name",
        "centre",
        "service_day",
        "category",
        "kind",
        "window",
        "clerk",
        "level",
        "reasons",
        "comment",
        "is_named",
        "contact_phone_masked",
        "created_at",
    )


class FollowUpEventInline(admin.TabularInline):
    model = FollowUpEvent
    extra = 0
    can_delete = False
    fields = ("at", "action", "from_state", "to_state", "actor", "note")
    readonly_fields = fields

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(FollowUpTask)
class FollowUpTaskAdmin(_ReadOnly):
    list_display = ("id", "centre", "state", "handler", "created_at", "closed_at")
    list_filter = ("state", "centre")
    inlines = (FollowUpEventInline,)
