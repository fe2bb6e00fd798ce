"""Admin: requests and batches for support; issued extracts are read-only (the database refuses edits)."""

from __future__ import annotations

from django.contrib import admin

from extracts.models import Extract, ExtractBatch, ExtractCounter, ExtractRequest


@admin.register(ExtractRequest)
class ExtractRequestAdmin(admin.ModelAdmin):
    list_display = ["pk", "municipality", "kind", "requester_name", "status", "submitted_at"]
    list_filter = ["status", "kind", "municipality"]
    search_fields = ["requester_name", "requester_email", "parcel_ids"]
    readonly_fields = ["token", "submission_key", "group", "fee_quote", "submitted_at",
                       "decided_at", "decided_by", "status"]  # fmt: skip


@admin.register(Extract)
class ExtractAdmin(admin.ModelAdmin):
    list_display = ["reference", "municipality", "kind", "issued_by_name", "issued_at"]
    list_filter = ["municipality", "year", "kind"]
    search_fields = ["reference", "verification_code", "parcel_ids"]
    exclude = ["pdf"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ExtractCounter)
class ExtractCounterAdmin(admin.ModelAdmin):
    list_display = ["municipality", "year", "last_number"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ExtractBatch)
class ExtractBatchAdmin(admin.ModelAdmin):
    list_display = ["pk", "owner", "status", "created_at", "finished_at"]
    list_filter = ["status"]
    exclude = ["zip_file"]
