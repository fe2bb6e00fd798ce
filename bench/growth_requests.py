#!/usr/bin/env python3
"""The growth benchmark's request lists (issue 17), drawn from the database: bench/growth_bench.py
``requests`` (see its docstring for what each type asks and why)."""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path
from urllib.parse import quote

M_PER_PX = 0.00028  # the OGC standard pixel: scale 1:S is S * 0.28 mm per pixel


def _django():
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_portal.settings")
    import django

    django.setup()
    from django.db import connection

    return connection


def sample_parcels(*, slug: str, n: int) -> list[dict]:
    """n parcels of the gmina spread over it (every k-th by id), with a point inside each."""
    connection = _django()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.identifier, p.number, o.number, o.name, ST_X(pt), ST_Y(pt) FROM ("
            "  SELECT p.*, ST_PointOnSurface(p.geom) pt,"
            "         row_number() OVER (ORDER BY p.id) rn, count(*) OVER () total"
            "  FROM layers_parcel p JOIN layers_municipality m ON m.id = p.municipality_id"
            "  WHERE m.slug = %s AND p.valid_to IS NULL) p"
            " JOIN layers_precinct o ON o.id = p.precinct_id"
            " WHERE p.rn %% greatest(1, p.total / %s) = 0 ORDER BY p.rn LIMIT %s",
            [slug, n, n],
        )
        rows = cursor.fetchall()
    return [
        {"id": r[0], "number": r[1], "precinct": r[2], "precinct_name": r[3], "x": r[4], "y": r[5]}
        for r in rows
    ]


def gmina_facts(*, slug: str) -> dict:
    connection = _django()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT m.id, (SELECT count(*) FROM layers_parcel p WHERE p.municipality_id = m.id"
            " AND p.valid_to IS NULL), (SELECT min(id) FROM plans_plan pl WHERE pl.municipality_id = m.id"
            " AND pl.is_published) FROM layers_municipality m WHERE m.slug = %s",
            [slug],
        )
        _muni, parcels, plan = cursor.fetchone()
    return {"parcels": parcels, "plan": plan}


def bbox_yx(*, x: float, y: float, size: float, snap: float) -> str:
    """A square of `size` m holding (x, y), snapped to a grid as a tiling client asks; northing first."""
    x0, y0 = (x // snap) * snap, (y // snap) * snap
    return f"{y0:.2f},{x0:.2f},{y0 + size:.2f},{x0 + size:.2f}"


def wms_requests(*, slug: str, parcels: list[dict]) -> list[dict]:
    base = f"/{slug}/ows?SERVICE=WMS&VERSION=1.3.0&STYLES=&CRS=EPSG:2180&FORMAT=image/png"
    out = []
    for scale in (1000, 5000, 25000):
        tile = 256 * scale * M_PER_PX
        for p in parcels:
            out.append(
                {
                    "type": f"wms_tile256_s{scale}",
                    "expect": "png",
                    "path": (
                        f"{base}&REQUEST=GetMap&LAYERS=wektor-str,dzialki&WIDTH=256&HEIGHT=256"
                        f"&BBOX={bbox_yx(x=p['x'], y=p['y'], size=tile, snap=tile)}"
                    ),
                }
            )
            w, h = 1024 * scale * M_PER_PX, 768 * scale * M_PER_PX
            x0, y0 = p["x"] - w / 2, p["y"] - h / 2
            out.append(
                {
                    "type": f"wms_img1024_s{scale}",
                    "expect": "png",
                    "path": (
                        f"{base}&REQUEST=GetMap&LAYERS=wektor-str,dzialki&WIDTH=1024&HEIGHT=768"
                        f"&BBOX={y0:.2f},{x0:.2f},{y0 + h:.2f},{x0 + w:.2f}"
                    ),
                }
            )
    tile = 256 * 1000 * M_PER_PX
    for p in parcels:
        x0, y0 = (p["x"] // tile) * tile, (p["y"] // tile) * tile
        i, j = int((p["x"] - x0) / M_PER_PX / 1000), int((y0 + tile - p["y"]) / M_PER_PX / 1000)
        out.append(
            {
                "type": "wms_gfi",
                "expect": "json",
                "path": (
                    f"/{slug}/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=dzialki"
                    f"&QUERY_LAYERS=dzialki&STYLES=&CRS=EPSG:2180&BBOX={y0:.2f},{x0:.2f},{y0 + tile:.2f},"
                    f"{x0 + tile:.2f}&WIDTH=256&HEIGHT=256&I={i}&J={j}&INFO_FORMAT=application/json"
                    "&FEATURE_COUNT=5"
                ),
            }
        )
    return out


def feature_requests(
    *, slug: str, parcels: list[dict], total: int, rng: random.Random
) -> list[dict]:
    wfs = (
        f"/{slug}/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=dzialki"
        "&SRSNAME=urn:ogc:def:crs:EPSG::2180"
    )
    crs = "http://www.opengis.net/def/crs/EPSG/0/2180"
    items = f"/ogcapi/collections/{slug}:dzialki/items?f=json&crs={crs}"
    gml = quote("application/gml+xml; version=3.2")
    out = []
    for p in parcels:
        box = bbox_yx(x=p["x"] - 544, y=p["y"] - 544, size=1088, snap=1)
        out.append(
            {
                "type": "wfs_bbox_geojson",
                "expect": "json",
                "path": f"{wfs}&OUTPUTFORMAT=application/json&BBOX={box},urn:ogc:def:crs:EPSG::2180",
            }
        )
        out.append(
            {
                "type": "wfs_bbox_gml",
                "expect": "gml",
                "path": f"{wfs}&OUTPUTFORMAT={gml}&BBOX={box},urn:ogc:def:crs:EPSG::2180",
            }
        )
        out.append(
            {
                "type": "oapif_bbox",
                "expect": "json",
                "path": f"{items}&limit=10000&bbox={box}&bbox-crs={crs}",
            }
        )
    # pages over the whole gmina, as a client harvesting it: the same depths at every stage
    for _ in parcels:
        start = rng.randrange(0, max(1, total // 1000)) * 1000
        out.append(
            {
                "type": "wfs_page_geojson",
                "expect": "json",
                "path": (
                    f"{wfs}&OUTPUTFORMAT=application/json&STARTINDEX={start}&SORTBY=id_dzialki&COUNT=1000"
                ),
            }
        )
        out.append(
            {"type": "oapif_page", "expect": "json", "path": f"{items}&limit=1000&offset={start}"}
        )
    return out


def portal_requests(*, slug: str, parcels: list[dict], plan: int | None) -> list[dict]:
    out = [{"type": "page_gmina", "expect": "html", "path": f"/{slug}/"}]
    for p in parcels:
        typed = [
            p["number"][:1],
            p["number"][:2],
            p["number"],
            f"{p['precinct']} {p['number']}",
            p["precinct_name"][:4],
        ]
        out += [
            {"type": "search_typed", "expect": "json", "path": f"/{slug}/szukaj.json?q={quote(t)}"}
            for t in typed
        ]
        out.append(
            {
                "type": "search_platform",
                "expect": "json",
                "path": f"/szukaj.json?q={quote(p['precinct_name'][:5] + ' ' + p['number'])}",
            }
        )
        out.append(
            {
                "type": "parcel_panel",
                "expect": "html",
                "path": f"/{slug}/panel/?dzialka={quote(p['id'])}",
            }
        )
        out.append({"type": "parcel_page", "expect": "html", "path": f"/{slug}/dzialki/{p['id']}/"})
        out.append(
            {"type": "extract_pdf", "expect": "pdf", "path": f"/{slug}/dzialki/{p['id']}/wypis.pdf"}
        )
    if plan:
        out.append({"type": "plan_page", "expect": "html", "path": f"/{slug}/plany/{plan}/"})
    out.append(
        {
            "type": "caps_platform_wms",
            "expect": "xml",
            "path": "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities",
        }
    )
    out.append(
        {
            "type": "caps_platform_wfs",
            "expect": "xml",
            "path": "/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetCapabilities",
        }
    )
    return out


def cmd_requests(args) -> None:
    rng = random.Random(args.seed)
    facts = gmina_facts(slug=args.gmina)
    parcels = sample_parcels(slug=args.gmina, n=args.per_type)
    reqs = (
        wms_requests(slug=args.gmina, parcels=parcels)
        + feature_requests(slug=args.gmina, parcels=parcels, total=facts["parcels"], rng=rng)
        + portal_requests(slug=args.gmina, parcels=parcels, plan=facts["plan"])
    )
    prefix = args.prefix
    with open(args.out, "w") as f:
        for r in reqs:
            f.write(json.dumps({**r, "type": prefix + r["type"]}) + "\n")
    print(f"{len(reqs)} requests for {args.gmina} ({facts['parcels']:,} parcels) -> {args.out}")
