"""The catalog in the Django admin.

Item versions are read-only except drafts, whose plain fields can be edited; every change
and every move of the workflow (revise, submit, return, publish, withdraw, discard) goes
through the catalog services, so it is checked against the actor's departments and audited.
Hall categories, themes and department aliases are edited here by platform admins.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from onestop.catalog import policies, services
from onestop.catalog.enums import ItemStatus
from onestop.catalog.models import DepartmentAlias, HallCategory, Material, ServiceItem, Theme
from onestop.catalog.policies import Perm
from onestop.catalog.values import Limit
from onestop.core.errors import DomainError
from onestop.identity.actors import StaffUser, optional_actor, staff_of

# Draft fields the admin form edits; references and materials are changed through the API.
DRAFT_FORM_FIELDS = (
    "name",
    "catalog_name",
    "item_type",
    "basic_code",
    "implementation_code",
    "handling_code",
    "legal_basis",
    "conditions",
    "fee_fen",
    "fee_note",
    "statutory_limit_value",
    "statutory_limit_unit",
    "promised_limit_value",
    "promised_limit_unit",
    "visits_required",
    "online_depth",
    "appointment_supported",
    "cross_district",
    "for_natural_person",
    "for_legal_person",
    "location",
    "office_hours",
    "consult_phone",
    "complaint_phone",
    "online_url",
)
_LIMIT_FIELDS = {
    "statutory_limit_value",
    "statutory_limit_unit",
    "promised_limit_value",
    "promised_limit_unit",
}


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 0
    can_delete = False
    fields = (
        "position",
        "name",
        "requirement",
        "form",
        "count",
        "e_licence_type",
        "held_by_government",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, max_length=2000)


def _actor(request: HttpRequest) -> StaffUser:
    # The admin site only lets signed-in staff in; the services check what they may do.
    return staff_of(request)


def _run(request: HttpRequest, queryset: QuerySet[ServiceItem], call: Any, done: Any) -> None:
    moved = 0
    for item in queryset:
        try:
            call(item)
            moved += 1
        except DomainError as error:
            messages.error(request, f"{item.item_key} v{item.version}: {error.message}")
    if moved:
        messages.success(request, f"{done}: {moved}")


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = ("name", "item_key", "version", "status", "level", "region", "department")
    list_filter = ("status", "level", "item_type", "source", "hall_category")
    search_fields = ("name", "item_key", "implementation_code", "basic_code")
    list_select_related = ("region", "department")
    ordering = ("item_key", "-version")
    inlines = (MaterialInline,)
    actions = ("revise", "submit", "publish", "discard", "return_to_draft", "withdraw")
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ServiceItem]:
        coverage = policies.RULES.coverage(optional_actor(request), Perm.MANAGE_ITEMS)
        return super().get_queryset(request).filter(coverage.q(department="department_id"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not policies.RULES.coverage(optional_actor(request), Perm.MANAGE_ITEMS).nothing

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return self.has_view_permission(request)
        return obj.status == ItemStatus.DRAFT and policies.RULES.can(
            optional_actor(request), Perm.MANAGE_ITEMS, obj.place
        )

    fields = (
        "item_key",
        "version",
        "status",
        "level",
        "region",
        "department",
        "authority_name",
        "hall_category",
        *DRAFT_FORM_FIELDS,
        "status_reason",
        "published_at",
        "ended_at",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None and self.has_change_permission(request, obj):
            return [f for f in self.fields if f not in DRAFT_FORM_FIELDS]
        return list(self.fields)

    def save_model(self, request: HttpRequest, obj: ServiceItem, form: Any, change: bool) -> None:
        changes: dict[str, Any] = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in DRAFT_FORM_FIELDS and name not in _LIMIT_FIELDS
        }
        if _LIMIT_FIELDS & set(form.changed_data):
            for kind in ("statutory", "promised"):
                changes[kind] = Limit(
                    form.cleaned_data[f"{kind}_limit_value"],
                    form.cleaned_data[f"{kind}_limit_unit"],
                )
        services.item_update(actor=_actor(request), item_id=obj.pk, changes=changes)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Materials and themes are changed through the services, not here."""

    @admin.action(description=_("Open a new draft version"))
    def revise(self, request: HttpRequest, queryset: QuerySet[ServiceItem]) -> None:
        keys = sorted(set(queryset.values_list("item_key", flat=True)))
        _run(
            request,
            ServiceItem.objects.filter(item_key__in=keys, status=ItemStatus.PUBLISHED),
            lambda item: services.item_revise(actor=_actor(request), item_key=item.item_key),
            _("New draft versions"),
        )

    @admin.action(description=_("Submit for review"))
    def submit(self, request: HttpRequest, queryset: QuerySet[ServiceItem]) -> None:
        _run(
            request,
            queryset,
            lambda item: services.item_submit(actor=_actor(request), item_id=item.pk),
            _("Submitted"),
        )

    @admin.action(description=_("Publish"))
    def publish(self, request: HttpRequest, queryset: QuerySet[ServiceItem]) -> None:
        _run(
            request,
            queryset,
            lambda item: services.item_publish(actor=_actor(request), item_id=item.pk),
            _("Published"),
        )

    @admin.action(description=_("Discard the draft"))
    def discard(self, request: HttpRequest, queryset: QuerySet[ServiceItem]) -> None:
        _run(
            request,
            queryset,
            lambda item: services.item_discard(actor=_actor(request), item_id=item.pk),
            _("Discarded"),
        )

    def _with_reason(
        self, request: HttpRequest, queryset: QuerySet[ServiceItem], action: str, call: Any
    ) -> HttpResponse | None:
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            _run(request, queryset, lambda item: call(item, reason), _("Done"))
            return None
        return TemplateResponse(
            request,
            "catalog/admin_reason.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Give a reason"),
                "form": form,
                "items": queryset,
                "action": action,
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("Return to draft (with a reason)"))
    def return_to_draft(
        self, request: HttpRequest, queryset: QuerySet[ServiceItem]
    ) -> HttpResponse | None:
        return self._with_reason(
            request,
            queryset,
            "return_to_draft",
            lambda item, reason: services.item_return(
                actor=_actor(request), item_id=item.pk, reason=reason
            ),
        )

    @admin.action(description=_("Withdraw (with a reason)"))
    def withdraw(
        self, request: HttpRequest, queryset: QuerySet[ServiceItem]
    ) -> HttpResponse | None:
        return self._with_reason(
            request,
            queryset,
            "withdraw",
            lambda item, reason: services.item_withdraw(
                actor=_actor(request), item_id=item.pk, reason=reason
            ),
        )


class VocabularyAdmin(admin.ModelAdmin):
    """Platform admins edit these; every save is audited by the service."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return policies.RULES.can(optional_actor(request), Perm.MANAGE_VOCABULARY)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.vocabulary_save(actor=_actor(request), obj=obj)


@admin.register(HallCategory)
class HallCategoryAdmin(VocabularyAdmin):
    list_display = ("code", "name", "position", "is_active")


@admin.register(Theme)
class ThemeAdmin(VocabularyAdmin):
    list_display = ("code", "name", "kind", "audience", "position")
    list_filter = ("kind", "audience")
    search_fields = ("code", "name", "aliases")


@admin.register(DepartmentAlias)
class DepartmentAliasAdmin(VocabularyAdmin):
    list_display = ("name", "department", "note")
    search_fields = ("name",)
    autocomplete_fields = ()
    raw_id_fields = ("department",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def delete_model(self, request: HttpRequest, obj: DepartmentAlias) -> None:
        services.department_alias_delete(actor=_actor(request), alias_id=obj.pk)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[DepartmentAlias]) -> None:
        for alias_id in queryset.values_list("pk", flat=True):
            services.department_alias_delete(actor=_actor(request), alias_id=alias_id)
