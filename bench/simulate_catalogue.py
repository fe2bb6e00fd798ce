#!/usr/bin/env python3
"""A country-sized catalogue for the platform capabilities benchmark (issue 17).

    source scripts/env.sh             # a scratch database, migrated (not your demo!)
    .venv/bin/python bench/simulate_catalogue.py --gminy 2477

Adds gminy until the database holds --gminy of them (Poland has 2,477), each through
create_municipality (its standard layers, as the operator's form makes them) with a 10 km square
boundary on a grid over the country's EPSG:2180 extent (well-formed TERC codes: the 16
voivodeships, powiat and gmina numbers counted up). No parcels or plans: the platform's
GetCapabilities (WMS 1.3.0, WFS 2.0) lists every gmina's layers whatever they hold, which is what
this measures. Prints how long the catalogue took to build.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.gis.geos import MultiPolygon, Polygon  # noqa: E402
from django.db import transaction  # noqa: E402

from layers.models import Municipality  # noqa: E402
from layers.municipalities import create_municipality  # noqa: E402

VOIVODESHIPS = [f"{w:02d}" for w in range(2, 33, 2)]
X0, Y0, SIDE = 180_000.0, 150_000.0, 10_000.0  # south-west of Poland in EPSG:2180 (x = easting)
COLUMNS = 60


def terc(n: int) -> str:
    woj = VOIVODESHIPS[n % len(VOIVODESHIPS)]
    rest = n // len(VOIVODESHIPS)
    return f"{woj}{50 + rest // 90:02d}{rest % 90 + 1:02d}_2"


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--gminy", type=int, default=2477)
    args = ap.parse_args()
    t0 = time.time()
    have = Municipality.objects.count()
    taken = set(Municipality.objects.values_list("teryt", flat=True))
    n, added = 0, 0
    while have + added < args.gminy:
        code = terc(n)
        n += 1
        if code in taken:
            continue
        col, row = divmod(added, COLUMNS)
        x, y = X0 + col * SIDE, Y0 + row * SIDE
        square = Polygon.from_bbox((x, y, x + SIDE * 0.9, y + SIDE * 0.9))
        with transaction.atomic():
            create_municipality(
                teryt=code,
                name=f"Gmina symulowana {added + 1:04d}",
                slug=f"sym-{added + 1:04d}",
                boundary=MultiPolygon(square, srid=2180),
            )
        added += 1
    print(f"{added} gminy added, {have + added} in the catalogue, {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
