"""The map's legend of the zones actually shown: the drawing classes of the zones of this gmina's
plans in force (those the user may see, as the WMS draws them) inside the map's view, with the
colours of the WMS palette and titles in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.gis.geos import Polygon
from django.utils.translation import gettext_lazy as _

from layers.models import Municipality
from plans.models import PlanZone
from wms.maps.layer_catalog import visible_plans
from wms.maps.styles import palette, zone_class_of, zone_classes

MAX_ZONES = 2000

# The palette's classes (wms/palette.json) in the user's language; the palette holds Polish only.
CLASS_TITLES = {
    "MW": _("multi-family housing"),
    "MN": _("single-family housing"),
    "MU": _("housing and services"),
    "ML": _("holiday homes"),
    "RM": _("farmsteads"),
    "U": _("services"),
    "US": _("sport and recreation"),
    "SH": _("large-scale retail"),
    "P": _("production, storage and warehouses"),
    "PEB": _("biogas plant"),
    "PE": _("surface mining"),
    "SR": _("agricultural production zone"),
    "R": _("farmland"),
    "RA": _("aquaculture and fisheries"),
    "ZL": _("forests"),
    "ZP": _("parks and managed green areas"),
    "ZE": _("unmanaged green areas, permanent grassland"),
    "ZD": _("allotment gardens"),
    "ZB": _("beach"),
    "SO": _("open zone"),
    "ZC": _("cemeteries"),
    "SC": _("cemetery zone"),
    "WS": _("inland surface waters"),
    "IT": _("technical infrastructure"),
    "KD": _("public roads"),
    "KDW": _("internal road"),
    "other": _("other use"),
}


@dataclass(frozen=True)
class LegendEntry:
    key: str
    title: str
    fill: str
    hatched: bool
    symbols: list[str]  # the zone symbols of the plan drawn in this class, e.g. ["MN", "MN/U"]


def zone_legend(
    *, municipality: Municipality, user, bbox4326: tuple[float, float, float, float]
) -> list[LegendEntry]:
    """One entry per drawing class of the zones in the box, in the palette's order."""
    view = Polygon.from_bbox(bbox4326)
    view.srid = 4326
    plans = visible_plans(user=user, gmina_ids=(municipality.pk,), statuses=("legalForce",))
    rows = (
        PlanZone.objects.for_municipality(municipality)
        .filter(plan__in=plans, geom__intersects=view)
        .values_list("symbol", "zone_kind")
        .distinct()[:MAX_ZONES]
    )
    symbols: dict[str, set[str]] = {}
    for symbol, zone_kind in rows:
        symbols.setdefault(zone_class_of(symbol, zone_kind or ""), set()).add(symbol or "?")
    entries = []
    for cls in zone_classes():
        if cls["key"] in symbols:
            entries.append(
                LegendEntry(
                    key=cls["key"],
                    title=str(CLASS_TITLES.get(cls["key"], cls["title_pl"])),
                    fill=cls["fill"],
                    hatched=bool(cls.get("pattern")),
                    symbols=sorted(symbols[cls["key"]]),
                )
            )
    return entries


def line_legend() -> dict[str, dict[str, str]]:
    """Swatches of the line layers (boundaries, parcels, precincts) for the page's legend."""
    p = palette()
    return {
        "granice": {"color": p["boundaries"]["color"], "style": "solid", "width": "3"},
        "dzialki": {"color": p["parcels"]["color"], "style": "solid", "width": "1"},
        "obreby": {"color": p["precincts"]["color"], "style": "dashed", "width": "2"},
    }
