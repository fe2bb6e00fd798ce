#!/usr/bin/env python3
"""Load a growth stage of the union (bench/make_union.py) into the portal's database (issue 17).

    source scripts/env.sh                      # DATABASE_URL of the database to fill
    .venv/bin/python bench/load_union.py --stage 100k|500k|2m [--union PATH]

Loads every gmina of the stage that is not loaded yet (stages grow: 100k is the bench gmina, 500k
adds four, 2m the rest), so `--stage 100k`, measure, `--stage 500k`, measure, `--stage 2m` is the
growth curve on one database. The bench gmina goes through bench/load_dataset.sh as always; each
other gmina is its template's GeoPackage (copied once into a staging schema by ogr2ogr) shifted by
its (dx, dy) and with its own TERYT in every precinct unit, parcel identifier and plan namespace, in
one transaction per gmina (the gmina's standard layers via create_municipality, as an operator's
import would). Prints the time of each gmina and of the stage.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from layers.models import Municipality  # noqa: E402
from layers.municipalities import create_municipality, extend_boundary_to_data  # noqa: E402

INSERT_SQL = """
INSERT INTO layers_precinct (municipality_id, unit, number, name, geom)
SELECT %(muni)s, %(t6)s || substr(split_part(id_obrebu, '.', 1), 7), obreb, nazwa,
       ST_Translate(ST_Multi(geom), %(dx)s, %(dy)s)
FROM {s}.precincts;

INSERT INTO layers_parcel (municipality_id, precinct_id, identifier, number, geom,
                           registered_area_ha, area_m2, valid_from, source)
SELECT %(muni)s, o.id, %(t6)s || substr(p.id_dzialki, 7), p.numer,
       ST_Translate(ST_Multi(p.geom), %(dx)s, %(dy)s),
       round(p.pow_m2 / 10000.0, 4), ST_Area(p.geom), now(), 'bench union'
FROM {s}.parcels p
JOIN layers_precinct o ON o.municipality_id = %(muni)s
 AND o.unit = %(t6)s || substr(p.jedn_ewid, 7) AND o.number = p.obreb;

INSERT INTO plans_plan (municipality_id, kind, title, resolution_number, resolution_date, publication,
                        status, in_force_from, namespace, local_id, version_id, boundary,
                        drawing_scale, general_provisions, is_published, created_at, updated_at)
SELECT %(muni)s, 'MPZP', b.nazwa, 'Uchwała Nr ' || b.uchwala, b.data_uchwalenia::date, '',
       'legalForce', b.data_uchwalenia::date + 30, 'PL.ZIPPZP.9999/' || %(t6)s || '-MPZP', b.plan_id,
       to_char(b.data_uchwalenia::date, 'YYYYMMDD') || 'T000000',
       ST_Translate(ST_Multi(b.geom), %(dx)s, %(dy)s), 1000, '', true, now(), now()
FROM {s}.plan_boundary b;

INSERT INTO plans_planzone (municipality_id, plan_id, designation, symbol, number, name, zone_kind,
                            profile, provisions, local_id, geom, area_m2)
SELECT %(muni)s, pl.id, z.oznaczenie, z.symbol, z.numer, z.przeznaczenie, '', '{{}}', '', '',
       ST_Translate(ST_Multi(z.geom), %(dx)s, %(dy)s), ST_Area(z.geom)
FROM {s}.plan_zones z
JOIN plans_plan pl ON pl.municipality_id = %(muni)s AND pl.local_id = z.plan_id;

UPDATE layers_layer SET data_version = data_version + 1 WHERE municipality_id = %(muni)s;
"""


def pg_conninfo() -> str:
    u = urlsplit(os.environ["DATABASE_URL"])
    parts = [
        f"host={u.hostname or '127.0.0.1'}",
        f"port={u.port or 5432}",
        f"dbname={u.path.lstrip('/')}",
    ]
    if u.username:
        parts.append(f"user={u.username}")
    if u.password:
        parts.append(f"password={u.password}")
    return " ".join(parts)


def stage_template(*, gpkg: str, parcels: int) -> str:
    """The template's layers in schema union_tpl_<parcels> (copied once per run)."""
    schema = f"union_tpl_{parcels}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
        if cursor.fetchone():
            return schema
        cursor.execute(f"CREATE SCHEMA {schema}")
    subprocess.run(
        [
            "ogr2ogr",
            "-f",
            "PostgreSQL",
            f"PG:{pg_conninfo()}",
            gpkg,
            "-lco",
            f"SCHEMA={schema}",
            "-lco",
            "GEOMETRY_NAME=geom",
            "-lco",
            "SPATIAL_INDEX=NONE",
            "-nlt",
            "PROMOTE_TO_MULTI",
            "parcels",
            "precincts",
            "plan_zones",
            "plan_boundary",
        ],
        check=True,
        env={**os.environ, "PG_USE_COPY": "YES"},
    )
    return schema


def loaded_parcels(*, slug: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM layers_parcel p JOIN layers_municipality m ON m.id = p.municipality_id"
            " WHERE m.slug = %s AND p.valid_to IS NULL",
            [slug],
        )
        return cursor.fetchone()[0]


def load_gmina(*, gmina: dict) -> None:
    schema = stage_template(gpkg=gmina["gpkg"], parcels=gmina["template"])
    with transaction.atomic():
        Municipality.objects.filter(slug=gmina["slug"]).delete()
        muni = create_municipality(teryt=gmina["teryt"], name=gmina["name"], slug=gmina["slug"])
        params = {"muni": muni.pk, "t6": gmina["teryt"][:6], "dx": gmina["dx"], "dy": gmina["dy"]}
        with connection.cursor() as cursor:
            cursor.execute(INSERT_SQL.format(s=schema), params)
    extend_boundary_to_data(municipality=muni)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--stage", choices=["100k", "500k", "2m"], required=True)
    bench_dir = os.environ.get("BENCH_DIR", "/tmp/bench")  # noqa: S108 (the harness copy, bench/README.md)
    ap.add_argument("--union", default=f"{bench_dir}/data/union/union.json")
    args = ap.parse_args()
    union = json.loads(Path(args.union).read_text())
    gminy = union["gminy"][: union["stages"][args.stage]]
    t0 = time.time()
    for gmina in gminy:
        if loaded_parcels(slug=gmina["slug"]) == gmina["template"]:
            continue
        t1 = time.time()
        if gmina["dx"] == 0 and gmina["dy"] == 0:
            subprocess.run(
                ["bash", str(ROOT / "bench/load_dataset.sh"), gmina["gpkg"], gmina["slug"]],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        else:
            load_gmina(gmina=gmina)
        print(
            f"{gmina['slug']}: {gmina['template']:,} parcels in {time.time() - t1:.0f} s",
            flush=True,
        )
    with connection.cursor() as cursor:
        for table in ("layers_precinct", "layers_parcel", "plans_plan", "plans_planzone"):
            # VACUUM too: the visibility map lets a page query be an index-only scan at once
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'union_tpl_%%'")
        for (schema,) in cursor.fetchall():
            cursor.execute(f"DROP SCHEMA {schema} CASCADE")
        cursor.execute("SELECT count(*) FROM layers_parcel WHERE valid_to IS NULL")
        total = cursor.fetchone()[0]
    print(
        f"stage {args.stage}: {len(gminy)} gminy, {total:,} parcels in the database, "
        f"{time.time() - t0:.0f} s"
    )


if __name__ == "__main__":
    main()
