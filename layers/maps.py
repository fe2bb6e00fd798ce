"""What the map pages need: the configuration of a gmina's map (the portal's own WMS layers with
their legends, the extent, the precincts, the base layer) and, for the foundation's simple map, the
gmina's parcels and published plan zones as GeoJSON.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib.gis.db.models.functions import AsGeoJSON, Envelope, GeomOutputGeoFunc, Transform
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from layers.models import Municipality, Precinct
from layers.replicas import read_connection

MAX_FEATURES = 3000


class BBoxError(ValueError):
    pass


def parse_bbox4326(text: str) -> tuple[float, float, float, float]:
    """``minLon,minLat,maxLon,maxLat`` (Leaflet's toBBoxString order), inside Poland's surroundings."""
    try:
        west, south, east, north = (float(v) for v in text.split(","))
    except ValueError as exc:
        raise BBoxError("bbox must be minLon,minLat,maxLon,maxLat") from exc
    if not (west < east and south < north):
        raise BBoxError("bbox must have min < max on both axes")
    if not (
        -180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90
    ):
        raise BBoxError("bbox is outside longitude/latitude ranges")
    return west, south, east, north


FEATURES_SQL = """
WITH env AS (SELECT ST_Transform(ST_MakeEnvelope(%(w)s, %(s)s, %(e)s, %(n)s, 4326), 2180) AS g)
SELECT 'zone', z.id, z.designation, z.name, z.symbol,
       ST_AsGeoJSON(ST_Transform(ST_Intersection(z.geom, env.g), 4326), 7)
  FROM plans_planzone z JOIN plans_plan p ON p.id = z.plan_id, env
 WHERE z.municipality_id = %(m)s AND p.is_published AND z.geom && env.g
UNION ALL
(SELECT 'parcel', pa.id, pa.identifier, pa.number, '',
       ST_AsGeoJSON(ST_Transform(pa.geom, 4326), 7)
  FROM layers_parcel pa, env
 WHERE pa.municipality_id = %(m)s AND pa.valid_to IS NULL AND pa.geom && env.g
 LIMIT %(limit)s)
"""


def features_in_bbox(
    *, municipality: Municipality, bbox4326: tuple[float, float, float, float]
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (EPSG:4326) of zones and current parcels in the box."""
    west, south, east, north = bbox4326
    params = {
        "w": west,
        "s": south,
        "e": east,
        "n": north,
        "m": municipality.pk,
        "limit": MAX_FEATURES,
    }
    with read_connection.cursor() as cursor:
        cursor.execute(FEATURES_SQL, params)
        rows = cursor.fetchall()
    features = [
        {
            "type": "Feature",
            "id": f"{kind}.{pk}",
            "geometry": json.loads(geometry),
            "properties": {"kind": kind, "label": label, "name": name, "symbol": symbol},
        }
        for kind, pk, label, name, symbol, geometry in rows
        if geometry
    ]
    truncated = sum(1 for f in features if f["properties"]["kind"] == "parcel") >= MAX_FEATURES
    return {"type": "FeatureCollection", "features": features, "truncated": truncated}


class Simplify(GeomOutputGeoFunc):
    """ST_SimplifyPreserveTopology(geometry, tolerance in the geometry's units)."""

    function = "ST_SimplifyPreserveTopology"


# Bottom to top: zones, plan boundaries, parcels, precincts (the gmina WMS's layer names).
MAP_LAYERS = ("wektor-str", "granice", "dzialki", "obreby")


def layer_titles() -> dict[str, str]:
    return {
        "wektor-str": _("Plan zones"),
        "granice": _("Plan boundaries"),
        "dzialki": _("Parcels"),
        "obreby": _("Precincts"),
    }


def municipalities_with_outline() -> QuerySet[Municipality]:
    """Active gminy with ``outline`` (GeoJSON, EPSG:4326, simplified to about a metre) and
    ``envelope4326`` (their bounding box in EPSG:4326), both computed by PostGIS."""
    return Municipality.objects.filter(is_active=True).annotate(
        outline=AsGeoJSON(Transform(Simplify("boundary", 1.0), 4326), precision=6),
        envelope4326=Transform(Envelope("boundary"), 4326),
    )


def bounds_of(envelope) -> list[list[float]] | None:
    """Leaflet's [[south, west], [north, east]] of a geometry already in EPSG:4326."""
    if envelope is None:
        return None
    west, south, east, north = envelope.extent
    return [[round(south, 6), round(west, 6)], [round(north, 6), round(east, 6)]]


def precincts_for_map(*, municipality: Municipality) -> list[dict[str, Any]]:
    rows = (
        Precinct.objects.for_municipality(municipality)
        .annotate(envelope4326=Transform(Envelope("geom"), 4326))
        .order_by("number", "unit")
    )
    return [
        {
            "number": p.number,
            "unit": p.unit,
            "name": p.name,
            "label": f"{p.number} {p.name}".strip(),
            "bounds": bounds_of(p.envelope4326),
        }
        for p in rows
    ]


# the offline background of a gmina map (a layer of its own WMS) and the colour around the gmina
OFFLINE_BASEMAP_LAYER = "podklad"
OFFLINE_BASEMAP_BGCOLOR = "0xE8E6E1"


def basemap() -> dict[str, str]:
    """The configured base layer (settings.BASEMAP_URL, an XYZ template); with an empty URL the map
    draws the offline background, the gmina WMS's layer ``layer`` on ``bgcolor``."""
    url = settings.BASEMAP_URL or ""
    offline = not url
    return {
        "url": url,
        "attribution": settings.BASEMAP_ATTRIBUTION or "",
        "layer": OFFLINE_BASEMAP_LAYER if offline else "",
        "bgcolor": OFFLINE_BASEMAP_BGCOLOR if offline else "",
    }


def map_config(*, municipality: Municipality, precincts: list[dict[str, Any]]) -> dict[str, Any]:
    """Everything the gmina map's JavaScript needs, handed over with ``json_script``."""
    base = reverse("municipality", args=[municipality.slug])
    ows = f"{base}ows"
    titles = layer_titles()
    layers = [
        {
            "name": name,
            "title": titles[name],
            "legend": f"{ows}?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetLegendGraphic"
            f"&LAYER={name}&FORMAT=image/png&SLD_VERSION=1.1.0",
        }
        for name in MAP_LAYERS
    ]
    outline = getattr(municipality, "outline", None)
    return {
        "slug": municipality.slug,
        "ows": ows,
        "layers": layers,
        "defaultLayers": list(MAP_LAYERS),
        "outline": json.loads(outline) if outline else None,
        "bounds": bounds_of(getattr(municipality, "envelope4326", None)),
        "precincts": precincts,
        "basemap": basemap(),
        "panelUrl": reverse("parcel-panel", args=[municipality.slug]),
        "searchUrl": reverse("search-json", args=[municipality.slug]),
        "parcelBase": f"{base}dzialki/",
        "proj2180": "+proj=tmerc +lat_0=0 +lon_0=19 +k=0.9993 +x_0=500000 +y_0=-5300000 "
        "+ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs",
    }


def map_strings() -> dict[str, str]:
    """The translated texts the map's JavaScript shows (no JavaScript catalogue needed)."""
    return {
        "searching": _("Searching…"),
        "results": _("Results: %(n)s. Choose one with Tab and Enter."),
        "resultsTouch": _("Results: %(n)s. Tap one to choose it."),
        "more": _("More results exist: type more of the number."),
        "precinct": _("precinct"),
        "showPrecinct": _("Show precinct %(name)s on the map"),
        "loading": _("Loading the parcel…"),
        "loadError": _("The parcel could not be loaded. Try again."),
        "searchError": _("The search failed. Try again."),
        "searchLimited": _("Too many searches in a short time. Wait a minute and try again."),
        "coords": _("EPSG:2180: X (northing) %(x)s, Y (easting) %(y)s"),
        "zoomIn": _("Zoom in"),
        "zoomOut": _("Zoom out"),
    }
