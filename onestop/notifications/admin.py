"""The outbox in the admin: read-only, with one action, "retry", for dead letters."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from onestop.core import pii
from onestop.core.access import signed_in
from onestop.core.errors import DomainError
from onestop.core.pii import PiiKind
from onestop.notifications import templates
from onestop.notifications.models import OutboxMessage
from onestop.notifications.policies import RULES, Perm
from onestop.notifications.services import normalise_phone, outbox_retry

DETAIL_FIELDS = (
    "status",
    "channel",
    "template",
    "language",
    "recipient",
    "recipient_user_id",
    "context_shown",
    "idempotency_key",
    "attempts",
    "next_attempt_at",
    "lease_until",
    "last_error",
    "created_at",
    "sent_at",
    "gateway_message_id",
    "read_at",
)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "status",
        "channel",
        "template",
        "recipient",
        "attempts",
        "next_attempt_at",
        "short_error",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "channel", "template", "language"]
    search_fields = ["idempotency_key", "gateway_message_id"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    actions = ["retry"]
    fields = DETAIL_FIELDS
    readonly_fields = DETAIL_FIELDS

    @admin.display(description=_("recipient"))
    def recipient(self, obj: OutboxMessage) -> str:
        return obj.recipient_display

    @admin.display(description=_("last error"))
    def short_error(self, obj: OutboxMessage) -> str:
        return obj.last_error[:80]

    @admin.display(description=_("context"))
    def context_shown(self, obj: OutboxMessage) -> str:
        shown = templates.redacted(obj.template, obj.context)
        return json.dumps(shown, ensure_ascii=False, indent=2)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[OutboxMessage], search_term: str
    ) -> tuple[QuerySet[OutboxMessage], bool]:
        # A phone number is found through its blind index: the column holds no plaintext.
        try:
            phone = normalise_phone(search_term)
        except DomainError:
            return super().get_search_results(request, queryset, search_term)
        index = pii.blind_index(PiiKind.PHONE, phone)
        return queryset.filter(recipient_phone_index=index), False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return RULES.can(signed_in(request), Perm.MANAGE_OUTBOX)

    @admin.action(description=_("Retry the selected dead messages"), permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        # The action's permission (has_retry_permission) let a signed-in admin this far.
        actor = signed_in(request)
        if actor is None:
            return
        requeued = 0
        for message_id in queryset.values_list("pk", flat=True):
            try:
                outbox_retry(actor=actor, message_id=message_id)
            except DomainError as exc:
                self.message_user(request, f"#{message_id}: {exc.message}", messages.WARNING)
            else:
                requeued += 1
        if requeued:
            self.message_user(
                request,
                ngettext("%(count)d message requeued.", "%(count)d messages requeued.", requeued)
                % {"count": requeued},
                messages.SUCCESS,
            )
