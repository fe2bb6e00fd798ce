from django.contrib import admin

from accounts.models import AuditEvent, StaffProfile, SurveyorProfile


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is never edited through the UI."""

    list_display = ["at", "actor_name", "municipality", "action", "target", "ip"]
    list_filter = ["action", "municipality"]
    search_fields = ["actor_name", "target", "action"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SurveyorProfile)
class SurveyorProfileAdmin(admin.ModelAdmin):
    """Read-only here: decisions are taken at /konto/geodeci/, which writes the audit log."""

    list_display = ["user", "licence_number", "municipality", "status", "applied_at", "decided_by"]
    list_filter = ["status", "municipality"]
    search_fields = ["user__username", "user__email", "licence_number", "company"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    """Full name and position printed in the signature block of a certified extract."""

    list_display = ["user", "full_name", "position"]
    search_fields = ["user__username", "user__email", "full_name", "position"]
    autocomplete_fields = ["user"]
