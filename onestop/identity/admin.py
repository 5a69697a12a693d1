"""Identity in the Django admin.

Persons and enterprises are read-only here and show masked identifiers only: registering
and correcting them is counter work, done through the services that audit it. A person is
found by full ID or mobile number through the blind index. Staff accounts are created and
given roles here, but every save goes through the staff and role services, so the audit
log records it; an existing role assignment is not edited, only removed or added. API
tokens show their prefix, never a hash to copy; they are revoked with an action.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from onestop.core import pii
from onestop.core.errors import DomainError
from onestop.core.ids import normalize_resident_id
from onestop.core.pii import PiiKind
from onestop.identity import policies, services
from onestop.identity.actors import optional_actor
from onestop.identity.enums import AccountKind
from onestop.identity.models import ApiToken, Enterprise, Person, RoleAssignment, User
from onestop.identity.policies import Permission
from onestop.identity.services.tokens import effective_expiry
from onestop.identity.values import mask_name, normalize_phone


class _PlatformAdminOnly:
    """Model permissions as usual, and the platform admin role counts as holding them."""

    def _is_admin(self, request: HttpRequest) -> bool:
        return policies.RULES.can(optional_actor(request), Permission.STAFF_MANAGE)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._is_admin(request) or super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_admin(request) or super().has_view_permission(request, obj)  # type: ignore[misc]


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _blind_search(term: str) -> dict[str, str] | None:
    """A full resident ID or mobile number as a blind-index filter, or None."""
    for normalise, kind, column in (
        (normalize_resident_id, PiiKind.RESIDENT_ID, "id_number_index"),
        (normalize_phone, PiiKind.PHONE, "phone_index"),
    ):
        try:
            value = normalise(term)
        except DomainError:
            continue
        return {column: pii.blind_index(kind, value)}
    return None


@admin.register(Person)
class PersonAdmin(_PlatformAdminOnly, _ReadOnly, admin.ModelAdmin):
    list_display = (
        "public_id",
        "masked_name",
        "id_number_masked",
        "phone_masked",
        "social_security_no_masked",
        "sex",
        "real_name_level",
        "created_at",
    )
    list_filter = ("real_name_level", "sex")
    fields = (
        "public_id",
        "masked_name",
        "id_number_masked",
        "phone_masked",
        "social_security_no_masked",
        "sex",
        "real_name_level",
        "region",
        "created_at",
    )
    readonly_fields = fields
    search_fields = ("=public_id",)
    search_help_text = _(
        "A person's public id, or a full resident ID number or mobile number; the list shows masks."
    )
    ordering = ("-id",)
    list_per_page = 50

    @admin.display(description=_("name"))
    def masked_name(self, obj: Person) -> str:
        return mask_name(obj.name)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Person], search_term: str
    ) -> tuple[QuerySet[Person], bool]:
        term = search_term.strip()
        lookup = _blind_search(term) if term else None
        if lookup is not None:
            return queryset.filter(**lookup), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(Enterprise)
class EnterpriseAdmin(_PlatformAdminOnly, _ReadOnly, admin.ModelAdmin):
    list_display = ("id", "name", "uscc", "masked_representative", "region", "created_at")
    search_fields = ("name", "=uscc")
    fields = ("name", "uscc", "masked_representative", "region", "created_at")
    readonly_fields = fields
    list_select_related = ("region",)
    list_per_page = 50

    @admin.display(description=_("legal representative"))
    def masked_representative(self, obj: Enterprise) -> str:
        return mask_name(obj.legal_representative)


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ("role", "department", "region", "centre_id", "grid_id")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is None and data.get("role"):
            grant = services.RoleGrant(
                role=data["role"],
                department=data.get("department"),
                region=data.get("region"),
                centre_id=data.get("centre_id"),
                grid_id=data.get("grid_id"),
            )
            try:
                services.role_scope_check(grant)
            except DomainError as exc:
                raise ValidationError(exc.message) from None
        return data


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    form = RoleAssignmentForm
    fields = ("role", "department", "region", "centre_id", "grid_id", "created_at")
    readonly_fields = ("created_at",)
    raw_id_fields = ("department", "region")
    extra = 0

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Existing rows are shown read-only: a role moves by removing it and adding another.
        return False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policies.RULES.can(optional_actor(request), Permission.STAFF_MANAGE)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policies.RULES.can(optional_actor(request), Permission.STAFF_MANAGE)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policies.RULES.can(optional_actor(request), Permission.STAFF_MANAGE)


class StaffCreateForm(forms.ModelForm):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ("username", "display_name", "is_staff")


class StaffChangeForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("is_active",)


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


@admin.register(User)
class UserAdmin(_PlatformAdminOnly, admin.ModelAdmin):
    list_display = ("username", "display_name", "kind", "is_active", "is_staff", "last_login")
    list_filter = ("kind", "is_active", "is_staff")
    search_fields = ("username", "display_name")
    ordering = ("username",)
    inlines = (RoleAssignmentInline,)
    list_per_page = 50

    def _is_admin(self, request: HttpRequest) -> bool:
        return policies.RULES.can(optional_actor(request), Permission.STAFF_MANAGE)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._is_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Accounts are switched off, never deleted: the audit log points at them.
        return False

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs["form"] = StaffChangeForm if obj is not None else StaffCreateForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("username", "display_name", "password", "is_staff")
        return (
            "username",
            "display_name",
            "kind",
            "is_active",
            "is_staff",
            "last_login",
            "date_joined",
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ()
        return ("username", "display_name", "kind", "is_staff", "last_login", "date_joined")

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        # Roles belong to staff accounts only.
        if obj is not None and obj.kind != AccountKind.STAFF:
            return []
        return super().get_inline_instances(request, obj)

    def save_model(
        self, request: HttpRequest, obj: User, form: forms.ModelForm, change: bool
    ) -> None:
        if not change:
            created = services.staff_create(
                actor=_actor(request),
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                display_name=form.cleaned_data["display_name"] or form.cleaned_data["username"],
                admin_site=form.cleaned_data.get("is_staff", False),
            )
            # The admin goes on to log and redirect with this instance: give it the saved row.
            obj.pk = created.pk
            obj.password = created.password
            obj.kind = created.kind
            obj._state.adding = False
            obj._state.db = created._state.db
        elif "is_active" in form.changed_data:
            services.account_set_active(actor=_actor(request), user_id=obj.pk, active=obj.is_active)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        user = form.instance
        formset.save(commit=False)
        for assignment in formset.deleted_objects:
            services.role_revoke(actor=_actor(request), assignment_id=assignment.pk)
        for assignment in formset.new_objects:
            services.role_assign(
                actor=_actor(request),
                user=user,
                role=assignment.role,
                department=assignment.department,
                region=assignment.region,
                centre_id=assignment.centre_id,
                grid_id=assignment.grid_id,
            )


def _moment(value: datetime | None) -> str:
    """A stored moment in local time; one too far ahead to show in local time (a year-9999
    expiry kept from before expiries were capped) in UTC, rather than a broken page."""
    if value is None:
        return "—"
    try:
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    except (OverflowError, ValueError):
        return value.strftime("%Y-%m-%d %H:%M UTC")


@admin.register(ApiToken)
class ApiTokenAdmin(_PlatformAdminOnly, _ReadOnly, admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "expires",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("name", "=prefix", "user__username")
    fields = ("name", "user", "prefix", "created_at", "expires", "last_used_at", "revoked_at")
    readonly_fields = fields
    list_select_related = ("user",)
    actions = ("revoke",)

    @admin.display(description=_("Expires"), ordering="expires_at")
    def expires(self, token: ApiToken) -> str:
        # When it stops working: a stored expiry past the cap (or none) counts as the cap.
        return _moment(effective_expiry(token))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Actions need "change"; the form itself has nothing editable.
        return self._is_admin(request)

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.api_token_revoke(actor=_actor(request), token_id=token.pk, reason="admin")
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )
