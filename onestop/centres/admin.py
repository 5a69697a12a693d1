from django.contrib import admin

from onestop.centres.models import Centre, OpeningSession


class OpeningSessionInline(admin.TabularInline):
    model = OpeningSession
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "region", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name"]
    inlines = [OpeningSessionInline]
    # Changes go through the services (audited); the admin shows them.
    readonly_fields = [
        "code",
        "name",
        "level",
        "region",
        "address",
        "phone",
        "categories",
        "open_on_holidays",
    ]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
