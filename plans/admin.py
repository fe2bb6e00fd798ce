from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from plans.models import HarvestSource, Plan, PlanDocument, PlanZone, Regulation


class PlanDocumentInline(admin.TabularInline):
    model = PlanDocument
    extra = 0
    fields = ["kind", "title", "date", "file", "url"]


@admin.register(Plan)
class PlanAdmin(LeafletGeoAdmin):
    list_display = [
        "title",
        "municipality",
        "kind",
        "status",
        "resolution_number",
        "in_force_from",
        "is_published",
    ]
    list_filter = ["municipality", "kind", "status", "is_published"]
    search_fields = ["title", "resolution_number", "local_id"]
    raw_id_fields = ["previous_version"]
    inlines = [PlanDocumentInline]


@admin.register(PlanZone)
class PlanZoneAdmin(LeafletGeoAdmin):
    list_display = ["designation", "name", "symbol", "plan", "area_m2"]
    list_filter = ["municipality", "symbol"]
    search_fields = ["designation", "name", "plan__title"]
    list_select_related = ["plan"]
    raw_id_fields = ["plan"]
    readonly_fields = ["area_m2"]


@admin.register(Regulation)
class RegulationAdmin(LeafletGeoAdmin):
    list_display = ["kind", "designation", "name", "plan"]
    list_filter = ["municipality", "kind"]
    raw_id_fields = ["plan"]


@admin.register(HarvestSource)
class HarvestSourceAdmin(admin.ModelAdmin):
    list_display = ["municipality", "kind", "url", "sync", "last_harvest_at", "last_result"]
    list_filter = ["kind", "sync"]
