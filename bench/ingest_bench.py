"""Ingest benchmark: 100,000 parcels from a GeoPackage, and the 28-zone APP sample.

Usage (project root, a database of your own, e.g. PGDATABASE=portal_ingest):
    .venv/bin/python $BENCH_DIR/make_dataset.py --parcels 100000 --out /tmp/gmina.gpkg
    source scripts/env.sh && .venv/bin/python bench/ingest_bench.py /tmp/gmina.gpkg

The GeoPackage comes from the benchmark harness's make_dataset.py (an optional tool outside this
repository, bench/README.md); without one, the script says so and stops. The APP sample is the
repository's (fixtures/app-samples/pog-abc-2176).

Prints seconds and peak RSS (MB) of each phase as JSON. Each run first removes the benchmark's
own gmina (slug ``bench-ingest``), so it can be repeated. Not a timed test: the numbers go into
the issue's note.
"""

from __future__ import annotations

import json
import os
import resource
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
from plans.ingest.pipeline import import_parcels, import_plan  # noqa: E402
from plans.ingest.vector import ParcelMapping  # noqa: E402

APP_SAMPLE = ROOT / "fixtures" / "app-samples" / "pog-abc-2176"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fresh(slug: str, teryt: str, name: str) -> Municipality:
    old = Municipality.objects.filter(slug=slug).first()
    if old is not None:
        old.parcels.all().delete()
        old.precincts.all().delete()
        for plan in old.plans.order_by("-pk"):
            plan.delete()
        old.delete()
    return create_municipality(teryt=teryt, name=name, slug=slug)


def timed(label: str, func) -> dict:
    start = time.perf_counter()
    result = func()
    return {
        "phase": label,
        "seconds": round(time.perf_counter() - start, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "result": result,
    }


def main(gpkg: str) -> None:
    results = [{"phase": "start", "peak_rss_mb": round(peak_rss_mb(), 1)}]
    abc = fresh("bench-abc", "321202_2", "Bench ABC")
    paths = [APP_SAMPLE / "AktPlanowaniaPrzestrzennego.gml", APP_SAMPLE / "StrefaPlanistyczna.gml"]
    results.append(
        timed(
            "APP 28 zones, validate only (dry run)",
            lambda: import_plan(municipality=abc, paths=paths, dry_run=True)[0].status,
        )
    )
    results.append(
        timed(
            "APP 28 zones, validate + write",
            lambda: import_plan(municipality=abc, paths=paths)[0].status,
        )
    )
    gmina = fresh("bench-ingest", "200212_3", "Bench Tykocin")
    mapping = ParcelMapping(identifier="id_dzialki", area="pow_m2", area_unit="m2", layer="parcels")
    results.append(
        timed(
            "100k parcels GeoPackage, validate + write",
            lambda: import_parcels(municipality=gmina, paths=[Path(gpkg)], mapping=mapping).summary,
        )
    )
    results.append(
        timed(
            "100k parcels again (supersede, history)",
            lambda: import_parcels(municipality=gmina, paths=[Path(gpkg)], mapping=mapping).summary,
        )
    )
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    if len(sys.argv) != 2 or not Path(sys.argv[1]).is_file():
        sys.exit(
            "usage: bench/ingest_bench.py GMINA.gpkg (100,000 parcels, made by the benchmark "
            "harness's make_dataset.py: an optional tool outside this repository, bench/README.md)"
        )
    main(sys.argv[1])
