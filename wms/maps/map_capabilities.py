"""GetCapabilities for WMS 1.3.0 (valid against capabilities_1_3_0.xsd) and 1.1.1 (its DTD).

Service metadata per gmina (title, abstract, contact, keywords with the INSPIRE theme), a layer tree
(platform-wide: the platform layers plus one group per gmina with slug-prefixed names), per-CRS
bounding boxes in each CRS's axis order (DESIGN.md §5), scale hints, queryable flags, the plan
status dimension and styles with legend URLs.
"""

from __future__ import annotations

import math
from functools import lru_cache
from urllib.parse import quote_plus

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from pyproj import Transformer

from layers.crs import OFFERED_CODES, parse_crs
from layers.models import Layer, Municipality
from layers.replicas import read_connection
from wms.maps.capabilities_layers import layers_xml
from wms.maps.featureinfo import INFO_FORMATS
from wms.maps.layer_catalog import PLAN_KINDS, CatalogLayer, service_layers
from wms.maps.legend import legend_size
from wms.maps.map_request import IMAGE_FORMATS, PLAN_STATUSES
from wms.maps.styles import styles_of

POLAND_XY = (14.0, 49.0, 24.2, 55.0)
KEYWORDS = [
    ("Zagospodarowanie przestrzenne", "GEMET - INSPIRE themes, version 1.0"),
    ("Planned land use", "GEMET - INSPIRE themes, version 1.0"),
    ("infoMapAccessService", "ISO 19119"),
    ("MPZP", None),
    ("miejscowy plan zagospodarowania przestrzennego", None),
    ("plan ogólny gminy", None),
    ("działki ewidencyjne", None),
]
BOUNDARY_EXTENT_SQL = """
SELECT m.id, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (
  SELECT m.id, ST_Envelope(m.boundary) AS e FROM layers_municipality m
  WHERE m.id = ANY(%s) AND m.boundary IS NOT NULL
) m
"""
# Only for gminy without a boundary (rare: the boundary is grown at every import). A separate query:
# with these per-gmina aggregates in the same statement the planner's cost estimate for a union of
# 2,000,000 parcels passed jit_above_cost, and compiling the plan (LLVM) cost 0.5 s a document.
DATA_EXTENT_SQL = """
SELECT m.id, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (
  SELECT m.id, COALESCE(
    (SELECT ST_Extent(p.geom)::geometry FROM layers_parcel p WHERE p.municipality_id = m.id),
    (SELECT ST_Extent(z.geom)::geometry FROM plans_planzone z WHERE z.municipality_id = m.id)
  ) AS e
  FROM layers_municipality m WHERE m.id = ANY(%s)
) m WHERE e IS NOT NULL
"""


@lru_cache(maxsize=32)
def _transformer(srid: int) -> Transformer:
    return Transformer.from_crs(2180, srid, always_xy=True)


def extents(gmina_ids: list[int]) -> dict[int, tuple[float, float, float, float]]:
    """Extent (EPSG:2180, x = easting) of each gmina: its boundary, else its data."""
    with read_connection.cursor() as cursor:
        cursor.execute(BOUNDARY_EXTENT_SQL, [list(gmina_ids)])
        found = {row[0]: tuple(row[1:]) for row in cursor.fetchall()}
        missing = [i for i in gmina_ids if i not in found]
        if missing:
            cursor.execute(DATA_EXTENT_SQL, [missing])
            found.update({row[0]: tuple(row[1:]) for row in cursor.fetchall()})
    return found


def _union(boxes) -> tuple[float, float, float, float] | None:
    boxes = [b for b in boxes if b]
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


@lru_cache(maxsize=8192)
def _bboxes(bbox2180, version: str) -> tuple[list[dict], tuple[float, ...]]:
    """Per-CRS bounding boxes (axis order of the version) and the lon/lat box.

    Kept per extent: every layer of a gmina has the gmina's extent, so a platform document of
    thousands of gminy transforms each extent once, not once per layer (the result is only read)."""
    if bbox2180 is None:
        geo = POLAND_XY
        bbox2180 = _transformer_inv().transform_bounds(*POLAND_XY, densify_pts=21)
    else:
        geo = _transformer(4326).transform_bounds(*bbox2180, densify_pts=21)
    out = []
    for code in OFFERED_CODES:
        crs = parse_crs(code, wms_version=version)
        if version == "1.1.1" and code == "CRS:84":
            continue
        xy = _transformer(crs.srid).transform_bounds(*bbox2180, densify_pts=21)
        if not all(math.isfinite(v) for v in xy):
            continue
        values = crs.bbox_from_xy(xy) if version == "1.3.0" else xy
        precision = 7 if crs.is_geographic else 2
        out.append({"crs": code, "box": [f"{v:.{precision}f}" for v in values], "srid": crs.srid})
    return out, tuple(round(v, 6) for v in geo)


@lru_cache(maxsize=1)
def _transformer_inv() -> Transformer:
    return Transformer.from_crs(4326, 2180, always_xy=True)


def _ows_url(request: HttpRequest, municipality: Municipality | None) -> str:
    path = f"/{municipality.slug}/ows" if municipality else "/ows"
    return request.build_absolute_uri(path)


def _styles(cat: CatalogLayer, url: str, version: str) -> list[dict]:
    out = []
    for style in styles_of(cat.kind):
        if not style.rules:
            continue
        # what urlencode gave for SERVICE, REQUEST, VERSION, FORMAT, LAYER, STYLE, SLD_VERSION,
        # written directly (thousands of layers in a platform document)
        query = (
            f"SERVICE=WMS&REQUEST=GetLegendGraphic&VERSION={quote_plus(version)}"
            f"&FORMAT=image%2Fpng&LAYER={quote_plus(cat.name)}&STYLE={quote_plus(style.name)}"
            "&SLD_VERSION=1.1.0"
        )
        width, height = legend_size(style)
        out.append(
            {
                "name": style.name,
                "title": style.title,
                "legend_url": f"{url}?{query}",
                "width": width,
                "height": height,
            }
        )
    return out


def _layer_entry(cat: CatalogLayer, *, box, url: str, version: str) -> dict:
    bboxes, geo = _bboxes(box, version)
    row: Layer = cat.layer
    return {
        "name": cat.name,
        "title": row.title,
        "abstract": row.abstract,
        "queryable": cat.queryable,
        "bboxes": bboxes,
        "geo": geo,
        "styles": _styles(cat, url, version),
        "min_scale": row.min_scale,
        "max_scale": row.max_scale,
        "scale_hint": _scale_hint(row.min_scale, row.max_scale),
        "status_dimension": cat.kind in PLAN_KINDS,
        "children": [],
    }


def _scale_hint(lo: int | None, hi: int | None) -> tuple[str, str] | None:
    if lo is None and hi is None:
        return None
    factor = 0.00028 * math.sqrt(2)
    return (f"{(lo or 0) * factor:.4f}", f"{(hi or 100_000_000) * factor:.4f}")


def layer_tree(
    *, request: HttpRequest, municipality: Municipality | None, version: str
) -> tuple[list[dict], tuple[float, float, float, float] | None]:
    """The layers of the service and the extent (EPSG:2180) of them all."""
    url = _ows_url(request, municipality)
    cats = service_layers(municipality=municipality)
    ids = sorted({i for c in cats for i in c.gmina_ids})
    boxes = extents(ids) if ids else {}
    if municipality is not None:
        box = boxes.get(municipality.pk)
        return [_layer_entry(c, box=box, url=url, version=version) for c in cats], box
    everything = _union(boxes.values())
    top = [
        _layer_entry(c, box=everything, url=url, version=version) for c in cats if c.owner is None
    ]
    groups: dict[int, dict] = {}
    for cat in cats:
        if cat.owner is None:
            continue
        box = boxes.get(cat.owner.pk)
        if cat.owner.pk not in groups:
            bboxes, geo = _bboxes(box, version)
            groups[cat.owner.pk] = {
                "name": cat.owner.slug,
                "title": cat.owner.name,
                "abstract": cat.owner.abstract,
                "queryable": False,
                "bboxes": bboxes,
                "geo": geo,
                "styles": [],
                "children": [],
            }
        groups[cat.owner.pk]["children"].append(
            _layer_entry(cat, box=box, url=url, version=version)
        )
    return top + list(groups.values()), everything


def service_info(municipality: Municipality | None) -> dict:
    if municipality is None:
        return {
            "title": "Plan Portal – plany miejscowe i ogólne gmin partnerskich",
            "abstract": (
                "Usługa przeglądania (WMS) miejscowych planów zagospodarowania przestrzennego, "
                "planów ogólnych i działek ewidencyjnych wszystkich gmin platformy. Nazwy warstw "
                "gmin mają przedrostek z identyfikatorem gminy, np. gmina:wektor-str."
            ),
            "keywords": KEYWORDS,
            "organization": "Plan Portal",
            "email": "",
            "phone": "",
            "address": "",
        }
    return {
        "title": f"{municipality.name} – miejscowe plany zagospodarowania przestrzennego",
        "abstract": municipality.abstract
        or (
            f"Usługa przeglądania (WMS) aktów planowania przestrzennego gminy "
            f"{municipality.name} (TERYT {municipality.teryt}): granice planów, przeznaczenie "
            "terenów, rysunki planów, działki i obręby ewidencyjne."
        ),
        "keywords": [*KEYWORDS, (municipality.name, None), (municipality.teryt, None)],
        "organization": municipality.contact_organization or municipality.name,
        "email": municipality.contact_email,
        "phone": municipality.contact_phone,
        "address": municipality.address,
    }


def capabilities_xml(
    *, request: HttpRequest, municipality: Municipality | None, version: str
) -> str:
    url = _ows_url(request, municipality)
    tree, box = layer_tree(request=request, municipality=municipality, version=version)
    root_bboxes, root_geo = _bboxes(box, version)
    context = {
        "service": service_info(municipality),
        "url": url,
        "layers_xml": layers_xml(tree, version=version, statuses=",".join(PLAN_STATUSES)),
        "root_geo": root_geo,
        "root_bboxes": root_bboxes,
        "crs_codes": [c for c in OFFERED_CODES if version == "1.3.0" or c != "CRS:84"],
        "image_formats": list(IMAGE_FORMATS),
        "info_formats": list(INFO_FORMATS),
        "statuses": ",".join(PLAN_STATUSES),
        "layer_limit": settings.WMS_MAX_LAYERS,
        "max_width": settings.WMS_MAX_WIDTH,
        "max_height": settings.WMS_MAX_HEIGHT,
    }
    template = "wms/capabilities_130.xml" if version == "1.3.0" else "wms/capabilities_111.xml"
    return render_to_string(template, context)
