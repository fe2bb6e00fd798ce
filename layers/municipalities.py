"""Creating gminy and keeping their boundary and PL-2000 zone right."""

from __future__ import annotations

from django.contrib.gis.geos import MultiPolygon
from django.db import connection, transaction
from django.utils.text import slugify

from layers.identifiers import pl2000_zone_for_longitude, validate_terc
from layers.models import Layer, Municipality


def zone_of(boundary: MultiPolygon) -> int:
    centroid = boundary.centroid.transform(4326, clone=True)
    return pl2000_zone_for_longitude(centroid.x)


@transaction.atomic
def create_municipality(
    *, teryt: str, name: str, slug: str | None = None, boundary: MultiPolygon | None = None
) -> Municipality:
    """A new gmina with its standard layers; ``full_clean`` gives field-level errors."""
    validate_terc(teryt)
    municipality = Municipality(
        teryt=teryt, name=name, slug=slug or slugify(name.replace("ł", "l").replace("Ł", "L"))
    )
    if boundary is not None:
        municipality.boundary = boundary
        municipality.pl2000_zone = zone_of(boundary)
    municipality.full_clean()
    municipality.save()
    Layer.ensure_defaults(municipality=municipality)
    Layer.ensure_defaults(municipality=None)
    return municipality


EXTEND_SQL = """
UPDATE layers_municipality m SET boundary = ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(ARRAY[
    m.boundary,
    (SELECT ST_ConvexHull(ST_Collect(p.geom)) FROM layers_parcel p
      WHERE p.municipality_id = m.id AND p.valid_to IS NULL),
    (SELECT ST_Union(pl.boundary) FROM plans_plan pl WHERE pl.municipality_id = m.id),
    (SELECT ST_Union(pr.geom) FROM layers_precinct pr WHERE pr.municipality_id = m.id)
])), 3))
WHERE m.id = %s
"""


def extend_boundary_to_data(*, municipality: Municipality) -> Municipality:
    """Grow the boundary to cover the gmina's parcels, precincts and plans (when no official one).

    Parcels count by their convex hull (one pass over the rows, fast on 100,000 parcels); precincts
    and plan boundaries, which are few, by their union.
    """
    with connection.cursor() as cursor:
        cursor.execute(EXTEND_SQL, [municipality.pk])
    municipality.refresh_from_db(fields=["boundary"])
    if municipality.boundary and not municipality.pl2000_zone:
        municipality.pl2000_zone = zone_of(municipality.boundary)
        municipality.save(update_fields=["pl2000_zone"])
    return municipality
