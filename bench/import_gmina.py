#!/usr/bin/env python3
"""Import one gmina's parcels through the portal's own import (issue 17: import while serving).

    source scripts/env.sh
    .venv/bin/python bench/import_gmina.py GPKG --slug zgw-import --teryt 201901_2 --dx 0 --dy 0

GPKG: parcels from the harness's make_dataset.py (e.g. --parcels 60000 --teryt 201901). The file
is first shifted by (dx, dy) metres (EPSG:2180, x = easting) into a copy beside it, so the gmina
lands where no other is (make_dataset draws every gmina around Tykocin); then the gmina is created
afresh and its parcels go through plans.ingest.pipeline.import_parcels, the very function the import
job runs in the worker: validation, one transaction, precincts, history. Prints the seconds.
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

from layers.models import Municipality  # noqa: E402
from layers.municipalities import create_municipality  # noqa: E402
from plans.ingest.pipeline import import_parcels  # noqa: E402
from plans.ingest.vector import ParcelMapping  # noqa: E402


def shifted_copy(*, gpkg: Path, dx: float, dy: float) -> Path:
    import numpy as np
    import pyogrio.raw
    import shapely

    out = gpkg.with_name(f"{gpkg.stem}-shift-{int(dx)}-{int(dy)}.gpkg")
    if out.exists():
        return out
    meta, _fids, geoms, fields = pyogrio.raw.read(gpkg, layer="parcels")
    moved = shapely.to_wkb(
        shapely.transform(shapely.from_wkb(geoms), lambda xy: xy + np.array([dx, dy]))
    )
    pyogrio.raw.write(
        out,
        moved,
        fields,
        meta["fields"],
        layer="parcels",
        driver="GPKG",
        geometry_type="Polygon",
        crs="EPSG:2180",
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("gpkg")
    ap.add_argument("--slug", default="zgw-import")
    ap.add_argument("--teryt", default="201901_2")
    ap.add_argument("--dx", type=float, default=0.0)
    ap.add_argument("--dy", type=float, default=0.0)
    args = ap.parse_args()
    source = shifted_copy(gpkg=Path(args.gpkg), dx=args.dx, dy=args.dy)
    old = Municipality.objects.filter(slug=args.slug).first()
    if old is not None:
        old.parcels.all().delete()
        old.precincts.all().delete()
        old.delete()
    gmina = create_municipality(teryt=args.teryt, name="Gmina importowana", slug=args.slug)
    mapping = ParcelMapping(identifier="id_dzialki", area="pow_m2", area_unit="m2", layer="parcels")
    t0 = time.perf_counter()
    result = import_parcels(municipality=gmina, paths=[source], mapping=mapping)
    print(
        f"import of {source.name}: {result.summary} in {time.perf_counter() - t0:.1f} s", flush=True
    )


if __name__ == "__main__":
    main()
