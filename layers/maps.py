"""The simple map of a gmina page: its parcels, precincts and published plan zones as GeoJSON.

The full map portal draws through the WMS; this keeps the foundation's page useful without it.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import connection

from layers.models import Municipality

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
    with connection.cursor() as cursor:
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
