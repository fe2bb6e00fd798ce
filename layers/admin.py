from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from layers.models import Layer, Membership, Municipality, Parcel, Precinct


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Municipality)
class MunicipalityAdmin(LeafletGeoAdmin):
    list_display = ["name", "teryt", "slug", "pl2000_zone", "is_active"]
    list_filter = ["is_active", "pl2000_zone"]
    search_fields = ["name", "teryt", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "municipality", "role", "created_at"]
    list_filter = ["role", "municipality"]
    search_fields = ["user__username", "user__email", "municipality__name"]
    autocomplete_fields = ["user", "municipality"]


@admin.register(Precinct)
class PrecinctAdmin(LeafletGeoAdmin):
    list_display = ["identifier", "name", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["unit", "number", "name"]


@admin.register(Parcel)
class ParcelAdmin(LeafletGeoAdmin):
    list_display = ["identifier", "number", "precinct", "area_m2", "valid_from", "valid_to"]
    list_filter = ["municipality", ("valid_to", admin.EmptyFieldListFilter)]
    search_fields = ["identifier", "number"]
    list_select_related = ["precinct"]
    raw_id_fields = ["precinct"]
    readonly_fields = ["area_m2"]
    date_hierarchy = "valid_from"


@admin.register(Layer)
class LayerAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "kind", "municipality", "is_published", "data_version"]
    list_filter = ["kind", "is_published", "municipality"]
    search_fields = ["name", "title"]
    readonly_fields = ["data_version"]
