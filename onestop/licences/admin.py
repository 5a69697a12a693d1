"""Licence types and licences are read here; they change only through their services
(issuance, the status services, the catalog's `licence_type_define`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from onestop.licences.models import Licence, LicenceEvent, LicenceType, StatusList


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(LicenceType)
class LicenceTypeAdmin(_ReadOnly):
    list_display = ("code", "name", "holder_category", "validity_years", "department")
    search_fields = ("code", "name")


@admin.register(Licence)
class LicenceAdmin(_ReadOnly):
    list_display = ("number", "identifier", "licence_type", "status", "holder_code_masked")
    list_filter = ("status", "licence_type")
    search_fields = ("number", "identifier")
    # The sealed columns stay out of the page.
    exclude = ("holder_code_sealed", "holder_code_index", "credential_sealed")


@admin.register(LicenceEvent)
class LicenceEventAdmin(_ReadOnly):
    list_display = ("licence", "action", "from_status", "to_status", "at")


@admin.register(StatusList)
class StatusListAdmin(_ReadOnly):
    list_display = ("pk", "bits", "size", "next_index", "created_at")
