"""Django admin for the core reference data.

Regions, departments and the audit log are read-only here: regions and departments come
from their loaders (`onestop load-regions`, `onestop load-departments`), and the audit log
is append-only. Calendar overrides are edited here, but every save and delete goes through
the calendar services, so each change is audited like any other.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from onestop.core.access import Actor, signed_in
from onestop.core.models import AuditEntry, CalendarOverride, Department, Region
from onestop.core.policies import RULES, Perm
from onestop.core.workdays import calendar_override_remove, calendar_override_set


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable by those with the view permission; never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "level", "parent", "is_administrative")
    list_filter = ("level", "is_administrative")
    # A code prefix finds a region and everything under it.
    search_fields = ("^code", "name")
    list_select_related = ("parent",)
    list_per_page = 50


@admin.register(Department)
class DepartmentAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "short_name", "region", "parent", "uscc", "is_active")
    list_filter = ("region__level", "is_active")
    search_fields = ("^code", "name", "short_name", "=uscc")
    list_select_related = ("region", "parent")
    list_per_page = 50


def _actor(request: HttpRequest) -> Actor:
    # The admin site signs everyone in before any of its views runs.
    return cast(Actor, request.user)


class CalendarOverrideForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the audit log with the change."),
    )

    class Meta:
        model = CalendarOverride
        fields = ("date", "is_working_day", "name", "source")


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    form = CalendarOverrideForm
    fields = ("date", "is_working_day", "name", "source", "reason")
    list_display = ("date", "is_working_day", "name", "source", "updated_at")
    list_filter = ("is_working_day",)
    search_fields = ("name", "source")
    date_hierarchy = "date"

    # The calendar services let only platform administrators change the calendar; others
    # with admin access may look, but are not offered a form the service would refuse.
    def _may_edit(self, request: HttpRequest) -> bool:
        return RULES.can(signed_in(request), Perm.CALENDAR_MANAGE)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may_edit(request) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request) and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The date is the override's identity: to move one, remove it and add another.
        return ("date",) if obj is not None else ()

    def save_model(
        self, request: HttpRequest, obj: CalendarOverride, form: forms.ModelForm, change: bool
    ) -> None:
        saved = calendar_override_set(
            actor=_actor(request),
            date=obj.date,
            is_working_day=obj.is_working_day,
            name=obj.name,
            source=obj.source,
            reason=form.cleaned_data.get("reason", ""),
        )
        # The admin goes on to log and redirect with this instance: give it the saved row.
        obj.pk = saved.pk
        obj.updated_at = saved.updated_at

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        calendar_override_remove(actor=_actor(request), date=obj.date)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarOverride]) -> None:
        for override in queryset:
            self.delete_model(request, override)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "stream",
        "seq",
        "actor_label",
        "action",
        "object_type",
        "object_id",
    )
    list_filter = ("stream", "action")
    search_fields = ("=object_id", "actor_label")
    # Sequence numbers count within a stream: the whole log reads in the order of time.
    ordering = ("-created_at", "-id")
    list_per_page = 50
