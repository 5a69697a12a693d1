"""Search in the Django admin: the synonym table, which platform admins edit, and the
anonymous search log, which catalog staff read (with the report of what people fail to find,
a staff page linked from the log's list).

Each synonym change is checked (platform admins only) and audited in its transaction. The
engine keys its cached dictionary on the synonym table's row count and newest `updated_at`,
so an edit takes effect on the next search without rebuilding the index.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onestop.catalog import policies as catalog_policies
from onestop.catalog.enums import ErrorCode
from onestop.core.audit import Actor, audit_record
from onestop.core.errors import DomainError, PermissionDenied
from onestop.search.models import SearchLog, Synonym
from onestop.search.views import may_read_search_log


def _actor(request: HttpRequest) -> Actor:
    return cast(Actor, request.user)


def _may_edit_synonyms(request: HttpRequest) -> bool:
    # The synonym table is city-wide vocabulary, like the catalog's themes.
    return catalog_policies.can_manage_department_items(request.user, None)


def _summary(synonym: Synonym) -> dict[str, Any]:
    return {
        "term": synonym.term,
        "expansions": synonym.expansions,
        "kind": synonym.kind,
        "is_active": synonym.is_active,
    }


def _synonym_require_edit(actor: Actor) -> None:
    if not catalog_policies.can_manage_department_items(actor, None):
        message = gettext("Only platform admins edit synonyms.")
        raise PermissionDenied(ErrorCode.NOT_ALLOWED, message)


# The synonym table's writes. They belong with the search services (synonym_save,
# synonym_delete); they live here until those exist, and the admin is their only caller.
def _synonym_save(*, actor: Actor, synonym: Synonym) -> None:
    _synonym_require_edit(actor)
    with transaction.atomic():
        creating = synonym.pk is None
        synonym.full_clean()
        synonym.save()
        audit_record(
            actor=actor,
            action=f"search.synonym.{'create' if creating else 'update'}",
            obj=synonym,
            after=_summary(synonym),
        )


def _synonym_delete(*, actor: Actor, synonym: Synonym) -> None:
    _synonym_require_edit(actor)
    with transaction.atomic():
        audit_record(
            actor=actor, action="search.synonym.delete", obj=synonym, before=_summary(synonym)
        )
        synonym.delete()


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
        _synonym_save(actor=_actor(request), synonym=obj)

    def delete_model(self, request: HttpRequest, obj: Synonym) -> None:
        _synonym_delete(actor=_actor(request), synonym=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Synonym]) -> None:
        for synonym in queryset:
            _synonym_delete(actor=_actor(request), synonym=synonym)

    def _set_active(self, request: HttpRequest, queryset: QuerySet[Synonym], active: bool) -> int:
        changed = 0
        for synonym in queryset.filter(is_active=not active):
            synonym.is_active = active
            try:
                _synonym_save(actor=_actor(request), synonym=synonym)
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
        return may_read_search_log(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_read_search_log(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
