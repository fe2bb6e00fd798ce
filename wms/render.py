"""The only module that imports Mapnik: a map from PostGIS as image bytes.

Interface (after pygeoapi's mapscript provider): ``render_map(...) -> bytes``. Everything else in the
portal, and its tests, call this and never import mapnik.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

import mapnik
from django.db import connection

STORAGE_SRS = "epsg:2180"


@dataclass(frozen=True)
class LayerSpec:
    """One layer to draw: an SQL subquery returning ``geom`` (SRID 2180) and the style XML."""

    name: str
    table_sql: (
        str  # "(SELECT geom, … FROM …) AS t": parameters are bound by the caller, never user text
    )
    style_xml: str
    geometry_field: str = "geom"


def _postgis_parameters() -> str:
    db = connection.settings_dict
    params = {
        "type": "postgis",
        "host": db.get("HOST") or "",
        "port": str(db.get("PORT") or 5432),
        "user": db.get("USER") or "",
        "password": db.get("PASSWORD") or "",
        "dbname": db["NAME"],
        "srid": "2180",
        "geometry_field": "geom",
        "estimate_extent": "false",
        "extent": "100000,100000,1000000,900000",
        # Mapnik keeps its own libpq pool; keep it off so test databases can be dropped.
        "persist_connection": "false",
    }
    return "".join(
        f"<Parameter name={quoteattr(k)}>{_escape(v)}</Parameter>" for k, v in params.items()
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build_map_xml(*, layers: list[LayerSpec], srs: str, background: str | None) -> str:
    styles = "".join(f'<Style name="{spec.name}">{spec.style_xml}</Style>' for spec in layers)
    ds = _postgis_parameters()
    layer_xml = "".join(
        f'<Layer name="{spec.name}" srs="{STORAGE_SRS}"><StyleName>{spec.name}</StyleName>'
        f'<Datasource>{ds}<Parameter name="table">{_escape(spec.table_sql)}</Parameter></Datasource></Layer>'
        for spec in layers
    )
    bg = f' background-color="{background}"' if background else ""
    return f'<Map srs="{srs}"{bg}>{styles}{layer_xml}</Map>'


def render_map(
    *,
    layers: list[LayerSpec],
    bbox: tuple[float, float, float, float],
    width: int,
    height: int,
    srs: str = STORAGE_SRS,
    image_format: str = "png",
    background: str | None = None,
) -> bytes:
    """Render ``layers`` over ``bbox`` (x = easting/longitude, in ``srs``) and encode the image.

    ``image_format`` is a Mapnik format string: ``png`` (32-bit), ``png8``, ``jpeg85``.
    """
    m = mapnik.Map(width, height)
    mapnik.load_map_from_string(m, build_map_xml(layers=layers, srs=srs, background=background))
    m.zoom_to_box(mapnik.Box2d(*bbox))
    image = mapnik.Image(width, height)
    mapnik.render(m, image)
    return image.to_string(image_format)
