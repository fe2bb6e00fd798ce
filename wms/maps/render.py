"""The only module that imports Mapnik: a map from PostGIS as image bytes.

Interface (after pygeoapi's mapscript provider): ``render_map(...) -> bytes``. Everything else in the
portal, and its tests, call this and never import mapnik.

Speed: with ``WMS_MAPNIK_PERSIST_CONNECTION`` (production, benchmark) Mapnik keeps its PostGIS
connections and a loaded ``mapnik.Map`` is kept per thread, keyed by its XML (layers, SQL, styles,
CRS, background), so a repeated layer set skips XML parsing and the datasources' start-up queries.

A restart of the database (or a failover) leaves Mapnik's pooled connections open on this side but
dead: libpq learns it only when a query on one fails, and Mapnik's pool then drops that connection
(its status is bad) at the next borrow. So a draw that failed on a lost connection is drawn again,
up to once per connection the pool may hold: the first request after a restart is answered, not an
error, and no worker has to be restarted. While the database cannot be reached at all, the failure
is raised as Django's ``OperationalError`` (the request answers 503: layers/unavailable.py).
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import quoteattr

import mapnik
from django.conf import settings
from django.db import OperationalError, connections

from layers.replicas import current_read_alias

logger = logging.getLogger(__name__)

STORAGE_SRS = "epsg:2180"
MAP_CACHE_SIZE = 24
# connections Mapnik may pool per database (its default); a draw is tried once more for each
POOL_SIZE = 10
# libpq's words for a connection the server closed or that broke (restart, failover, idle timeout)
CONNECTION_LOST = re.compile(
    r"server closed the connection|terminating connection|no connection to the server"
    r"|connection to server .* lost|could not (?:send|receive) data|SSL connection has been closed",
    re.IGNORECASE,
)
CANNOT_CONNECT = re.compile(
    r"could not connect|connection to server .* failed|Connection refused|Null connection",
    re.IGNORECASE,
)
LABEL_BUFFER_PX = 64  # half the widest label (a 4 mm "12MN/U" is ~70 px) and its halo
_local = threading.local()


@dataclass(frozen=True)
class LayerSpec:
    """One layer to draw: an SQL subquery returning ``geom`` (SRID 2180) and the style XML."""

    name: str
    table_sql: (
        str  # "(SELECT geom, … FROM …) AS t": parameters are bound by the caller, never user text
    )
    style_xml: str
    geometry_field: str = "geom"
    label_style_xml: str = ""  # rules drawn after every feature's fill (labels on top)
    raster_file: str | None = None  # a GeoTIFF instead of SQL (``table_sql`` ignored)
    srs: str = STORAGE_SRS


def _postgis_parameters() -> str:
    """The database this request reads from (a standby for anonymous reads: layers/replicas.py)."""
    db = connections[current_read_alias()].settings_dict
    persist = getattr(settings, "WMS_MAPNIK_PERSIST_CONNECTION", False)
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
        # Mapnik keeps its own libpq pool; off by default so test databases can be dropped.
        "persist_connection": "true" if persist else "false",
        "max_size": str(POOL_SIZE),
        # plain WKB: ST_Simplify + TWKB cost PostgreSQL 2-3x the CPU (measured on 12,000 parcels)
        "simplify_geometries": "false",
        "twkb_encoding": "false",
    }
    return "".join(
        f"<Parameter name={quoteattr(k)}>{_escape(v)}</Parameter>" for k, v in params.items()
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _datasource_xml(spec: LayerSpec, postgis: str) -> str:
    if spec.raster_file:
        return (
            '<Datasource><Parameter name="type">gdal</Parameter>'
            f'<Parameter name="file">{_escape(spec.raster_file)}</Parameter></Datasource>'
        )
    return (
        f"<Datasource>{postgis}"
        f'<Parameter name="table">{_escape(spec.table_sql)}</Parameter></Datasource>'
    )


def build_map_xml(*, layers: list[LayerSpec], srs: str, background: str | None) -> str:
    styles = []
    layer_xml = []
    postgis = _postgis_parameters()
    for n, spec in enumerate(layers):
        style = f"s{n}-{spec.name}"
        styles.append(f'<Style name="{_escape(style)}">{spec.style_xml}</Style>')
        names = f"<StyleName>{_escape(style)}</StyleName>"
        if spec.label_style_xml:
            styles.append(f'<Style name="{_escape(style)}-labels">{spec.label_style_xml}</Style>')
            names += f"<StyleName>{_escape(style)}-labels</StyleName>"
        cache = ' cache-features="true"' if spec.label_style_xml else ""
        layer_xml.append(
            f'<Layer name={quoteattr(spec.name)} srs="{spec.srs}"{cache}>{names}'
            f"{_datasource_xml(spec, postgis)}</Layer>"
        )
    bg = f' background-color="{background}"' if background else ""
    # the buffer around the image is set per request (label_buffer): see render_map
    return f'<Map srs="{srs}"{bg}>{"".join(styles)}{"".join(layer_xml)}</Map>'


_RULE = re.compile(r"<Rule\b.*?</Rule>", re.S)
_MIN = re.compile(r"<MinScaleDenominator>\s*([0-9.eE+]+)\s*<")
_MAX = re.compile(r"<MaxScaleDenominator>\s*([0-9.eE+]+)\s*<")


@lru_cache(maxsize=256)
def _label_scales(label_style_xml: str) -> tuple[tuple[float, float], ...]:
    """The scale ranges [min, max) in which the label rules of a style draw anything."""
    ranges = []
    for rule in _RULE.findall(label_style_xml):
        low, high = _MIN.search(rule), _MAX.search(rule)
        ranges.append(
            (float(low.group(1)) if low else 0.0, float(high.group(1)) if high else math.inf)
        )
    return tuple(ranges)


def label_buffer(*, layers: list[LayerSpec], scale_denominator: float) -> int:
    """Pixels drawn around the image: LABEL_BUFFER_PX when a label may be drawn at this scale, so
    a label on a tile's edge is placed in both tiles; 0 otherwise. A buffer makes Mapnik query and
    draw every layer over a larger box (128 px around a 256 px tile: four times the area), which
    halved the tile rate at 1:25,000 where no label is drawn (bench/README.md, issue 14's run)."""
    for spec in layers:
        for low, high in _label_scales(spec.label_style_xml):
            if low <= scale_denominator < high:
                return LABEL_BUFFER_PX
    return 0


def _cached_map(xml: str, width: int, height: int) -> mapnik.Map:
    """A loaded map for ``xml``: kept per thread only with persistent connections (production);
    otherwise built per call, so no PostGIS connection outlives the render (test databases)."""
    if not getattr(settings, "WMS_MAPNIK_PERSIST_CONNECTION", False):
        m = mapnik.Map(width, height)
        mapnik.load_map_from_string(m, xml)
        return m
    cache: OrderedDict[str, mapnik.Map] | None = getattr(_local, "maps", None)
    if cache is None:
        cache = _local.maps = OrderedDict()
    key = hashlib.sha256(xml.encode()).hexdigest()
    m = cache.get(key)
    if m is None:
        m = mapnik.Map(width, height)
        mapnik.load_map_from_string(m, xml)
        cache[key] = m
        while len(cache) > MAP_CACHE_SIZE:
            cache.popitem(last=False)
    else:
        cache.move_to_end(key)
        m.resize(width, height)
    return m


def clear_map_cache() -> None:
    """Forget this thread's loaded maps (tests that drop databases, settings changes)."""
    _local.maps = OrderedDict()


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

    ``image_format`` is a Mapnik format string: ``png`` (32-bit), ``png24``, ``png8``, ``jpeg85``.
    A draw that failed on a pooled connection the database had closed is drawn again (see above).
    """
    for attempt in range(POOL_SIZE + 1):
        try:
            return _draw(
                layers=layers,
                bbox=bbox,
                size=(width, height),
                srs=srs,
                image_format=image_format,
                background=background,
            )
        except RuntimeError as exc:
            lost = CONNECTION_LOST.search(str(exc))
            if lost and attempt < POOL_SIZE:
                logger.warning("map drawn again: a pooled PostGIS connection was lost (%s)", exc)
                continue
            if lost or CANNOT_CONNECT.search(str(exc)):
                # the database is down, not the map wrong: 503 (layers/unavailable.py)
                raise OperationalError(str(exc)) from exc
            raise
    raise AssertionError("unreachable")


def _draw(
    *,
    layers: list[LayerSpec],
    bbox: tuple[float, float, float, float],
    size: tuple[int, int],
    srs: str,
    image_format: str,
    background: str | None,
) -> bytes:
    width, height = size
    m = _cached_map(build_map_xml(layers=layers, srs=srs, background=background), width, height)
    # WMS: the image covers exactly BBOX, even when its pixels are not square (e.g. EPSG:4326)
    m.aspect_fix_mode = mapnik.aspect_fix_mode.RESPECT
    m.zoom_to_box(mapnik.Box2d(*bbox))
    m.buffer_size = label_buffer(layers=layers, scale_denominator=m.scale_denominator())
    image = mapnik.Image(width, height)
    mapnik.render(m, image)
    return image.to_string(image_format)


def render_swatches(
    *, style_xml: str, geometry: str, count: int, size: tuple[int, int], gap: int
) -> bytes:
    """``count`` legend swatches in a column, drawn with ``style_xml`` from an inline dataset.

    Feature ``n`` has attribute ``cls`` = its rule's filter value; the caller builds one style
    per swatch row (``style_xml`` holds rules filtered on ``[row] = n``).
    """
    w, h = size
    total_h = count * (h + gap)
    rows = ["wkt,row"]
    for n in range(count):
        top = total_h - n * (h + gap)
        x0, y0, x1, y1 = 1.5, top - h + 1.5, w - 1.5, top - 1.5
        if geometry == "line":
            mid = (y0 + y1) / 2
            wkt = f"LINESTRING({x0} {mid},{x1} {mid})"
        else:
            wkt = f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"
        rows.append(f'"{wkt}",{n}')
    xml = (
        f'<Map srs="epsg:3857"><Style name="s">{style_xml}</Style>'
        '<Layer name="swatches" srs="epsg:3857"><StyleName>s</StyleName>'
        '<Datasource><Parameter name="type">csv</Parameter>'
        f'<Parameter name="inline">{_escape(chr(10).join(rows))}</Parameter></Datasource>'
        "</Layer></Map>"
    )
    m = mapnik.Map(w, total_h)
    mapnik.load_map_from_string(m, xml)
    m.zoom_to_box(mapnik.Box2d(0, 0, w, total_h))
    image = mapnik.Image(w, total_h)
    mapnik.render(m, image)
    return image.to_string("png32")
