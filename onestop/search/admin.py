"""Search in the Django admin: the synonym table (English terms included) and the items'
translated names, which platform admins edit, and the anonymous search log, which catalog
staff read (with the report of what people fail to find, a staff page linked from the
log's list).

Synonym changes go through `services.synonym_save` / `synonym_delete`, translated names
through `services.item_translation_save` / `item_translation_delete` (platform admins only,
audited); both take effect on the next search.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from onestop.core.errors import DomainError
from onestop.identity.actors import StaffUser, optional_actor, staff_of
from onestop.search import policies, services
from onestop.search.models import ItemTranslation, SearchLog, Synonym
from onestop.search.policies import Perm


def _actor(request: HttpRequest) -> StaffUser:
    # The admin site lets only signed-in staff in; the services check what they may do.
    return staff_of(request)


def _may_edit_synonyms(request: HttpRequest) -> bool:
    return policies.RULES.can(optional_actor(request), Perm.EDIT_SYNONYMS)


class SynonymForm(forms.ModelForm):
    class Meta:
        model = Synonym
        fields = ("term", "expansions", "kind", "is_active", "note")
        widgets = {"expansions": forms.TextInput(attrs={"size": 60})}


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    form = SynonymForm
    list_display = ("term", "expansions", "kind", "is_active", "updated_at")
    list_display_links = ("term",)
    list_editable = ("is_active",)
    list_filter = ("kind", "is_active")
    search_fields = ("term", "expansions", "note")
    actions = ("activate", "deactivate")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _may_edit_synonyms(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_edit_synonyms(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _may_edit_synonyms(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_edit_synonyms(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_edit_synonyms(request)

    def save_model(self, request: HttpRequest, obj: Synonym, form: Any, change: bool) -> None:
        services.synonym_save(actor=_actor(request), synonym=obj)

    def delete_model(self, request: HttpRequest, obj: Synonym) -> None:
        services.synonym_delete(actor=_actor(request), synonym_id=obj.pk)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Synonym]) -> None:
        for synonym_id in queryset.values_list("pk", flat=True):
            services.synonym_delete(actor=_actor(request), synonym_id=synonym_id)

    def _set_active(self, request: HttpRequest, queryset: QuerySet[Synonym], active: bool) -> int:
        changed = 0
        for synonym in queryset.filter(is_active=not active):
            synonym.is_active = active
            try:
                services.synonym_save(actor=_actor(request), synonym=synonym)
            except DomainError as error:
                messages.error(request, f"{synonym.term}: {error.message}")
            else:
                changed += 1
        return changed

    @admin.action(description=_("Use the selected synonyms in searches"))
    def activate(self, request: HttpRequest, queryset: QuerySet[Synonym]) -> None:
        changed = self._set_active(request, queryset, True)
        messages.success(request, _("Synonyms now in use: %(n)d") % {"n": changed})

    @admin.action(description=_("Stop using the selected synonyms"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Synonym]) -> None:
        changed = self._set_active(request, queryset, False)
        messages.success(request, _("Synonyms no longer in use: %(n)d") % {"n": changed})


def _may_edit_translations(request: HttpRequest) -> bool:
    return policies.RULES.can(optional_actor(request), Perm.EDIT_TRANSLATIONS)


@admin.register(ItemTranslation)
class ItemTranslationAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "name_hant", "updated_at")
    search_fields = ("name", "name_en", "name_hant")
    fields = ("name", "name_hant", "name_en")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _may_edit_translations(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_edit_translations(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _may_edit_translations(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_edit_translations(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_edit_translations(request)

    def save_model(
        self, request: HttpRequest, obj: ItemTranslation, form: Any, change: bool
    ) -> None:
        services.item_translation_save(actor=_actor(request), translation=obj)

    def delete_model(self, request: HttpRequest, obj: ItemTranslation) -> None:
        services.item_translation_delete(actor=_actor(request), translation_id=obj.pk)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ItemTranslation]) -> None:
        for translation in queryset:
            services.item_translation_delete(actor=_actor(request), translation_id=translation.pk)


class FoundFilter(admin.SimpleListFilter):
    title = _("results")
    parameter_name = "found"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("no", _("Found nothing")), ("yes", _("Found something"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[SearchLog]) -> QuerySet[SearchLog]:
        if self.value() == "no":
            return queryset.filter(result_count=0)
        if self.value() == "yes":
            return queryset.filter(result_count__gt=0)
        return queryset


@admin.register(SearchLog)
class SearchLogAdmin(admin.ModelAdmin):
    """Read-only: the log is written by searches and by nothing else."""

    change_list_template = "search/admin/searchlog_change_list.html"
    list_display = ("created_at", "query", "result_count", "channel", "filters")
    list_filter = (FoundFilter, "channel", "created_at")
    search_fields = ("query",)
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    show_full_result_count = False
    readonly_fields = ("created_at", "query", "result_count", "channel", "filters")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return policies.RULES.can(optional_actor(request), Perm.READ_LOG)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policies.RULES.can(optional_actor(request), Perm.READ_LOG)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
