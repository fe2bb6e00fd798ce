"""Extract benchmark: the informational extract of one parcel with its map (p50), and a batch of 100.

Usage (project root, a database of your own, e.g. PGDATABASE=portal_extracts):
    export PGDATABASE=portal_extracts && source scripts/env.sh && .venv/bin/python bench/extracts_bench.py

Builds its own gmina (slug ``bench-extracts``: a 6 × 6 grid of MPZP zones with demo provisions and
10 × 10 parcels straddling them), committed so that Mapnik sees it, then times
``GET /bench-extracts/dzialki/<id>/wypis.pdf`` through Django's request stack (``--runs`` times
after one warm-up) and the batch job of 100 parcels (``extracts.batches.run_batch``, what the
procrastinate worker runs). Prints JSON. Not a timed test: the figures go into the issue's note.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_portal.settings")
os.environ.setdefault("RATELIMIT_ENABLED", "0")  # the bench measures the work, not the limiter

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from extracts.batches import run_batch  # noqa: E402
from extracts.models import ExtractBatch  # noqa: E402
from layers.models import Municipality  # noqa: E402
from plans.demo_texts import general_provisions, zone_name, zone_provisions  # noqa: E402
from tests.factories import (  # noqa: E402
    box,
    make_municipality,
    make_parcel,
    make_plan,
    make_precinct,
    make_zone,
)

SLUG = "bench-extracts"
ORIGIN = (640000.0, 480000.0)
SYMBOLS = ["MN", "MN/U", "U", "ZP", "R", "KDD"]


def build() -> list[str]:
    old = Municipality.objects.filter(slug=SLUG).first()
    if old is not None:
        ExtractBatch.objects.filter(owner__username="bench-surveyor").delete()
        old.parcels.all().delete()
        old.precincts.all().delete()
        for plan in old.plans.order_by("-pk"):
            plan.delete()
        old.delete()
    x, y = ORIGIN
    gmina = make_municipality("149901_2", "Gmina Benchmarkowa", SLUG, ORIGIN)
    precinct = make_precinct(gmina, "0001", "Próbna")
    plan = make_plan(
        gmina,
        boundary=box(x, y, x + 1200, y + 1200),
        title="MPZP Próbna – benchmark",
        general_provisions=general_provisions(gmina_name=gmina.name, village="Próbna"),
    )
    paragraph = 10
    for row in range(6):
        for col in range(6):
            symbol = SYMBOLS[(row + col) % len(SYMBOLS)]
            designation = f"{row * 6 + col + 1}{symbol}"
            make_zone(
                plan,
                designation,
                box(x + col * 200, y + row * 200, x + (col + 1) * 200, y + (row + 1) * 200),
                name=zone_name(symbol),
                provisions=zone_provisions(
                    designation=designation, symbol=symbol, paragraph=paragraph
                ),
            )
            paragraph += 1
    ids = []
    for row in range(10):
        for col in range(10):
            x0, y0 = x + 70 + col * 110, y + 80 + row * 110
            parcel = make_parcel(precinct, f"{row * 10 + col + 1}", box(x0, y0, x0 + 60, y0 + 45))
            ids.append(parcel.identifier)
    return ids


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--workers", type=int, default=settings.EXTRACT_BATCH_WORKERS)
    args = parser.parse_args()
    ids = build()
    client = Client(HTTP_HOST="localhost")
    timings = []
    cpu = []
    sizes = []
    for i in range(args.runs + 1):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(f"/{SLUG}/dzialki/{ids[(i * 7) % len(ids)]}/wypis.pdf")
        elapsed = time.perf_counter() - start
        if i:
            cpu.append(time.process_time() - start_cpu)
        assert response.status_code == 200, response.status_code
        sizes.append(len(response.content))
        if i:  # the first run warms up fonts and Mapnik
            timings.append(elapsed)
    user, _ = get_user_model().objects.get_or_create(username="bench-surveyor")
    batch = ExtractBatch.objects.create(
        owner=user, parcel_ids=ids[: args.batch], as_of=django.utils.timezone.localdate()
    )
    start, start_cpu = time.perf_counter(), time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = run_batch(batch_id=batch.pk, workers=args.workers)
    batch_seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    batch_cpu = (time.process_time() - start_cpu) + (
        after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    )
    print(
        json.dumps(
            {
                "informational_extract_one_parcel": {
                    "runs": len(timings),
                    "p50_s": round(statistics.median(timings), 3),
                    "p90_s": round(percentile(timings, 0.9), 3),
                    "max_s": round(max(timings), 3),
                    "cpu_p50_s": round(statistics.median(cpu), 3),
                    "pdf_kb_median": round(statistics.median(sizes) / 1024, 1),
                },
                "batch": {
                    "parcels": len(done.parcel_ids),
                    "workers": args.workers,
                    "seconds": round(batch_seconds, 2),
                    "cpu_seconds_incl_workers": round(batch_cpu, 2),
                    "zip_mb": round(len(bytes(done.zip_file)) / 1e6, 2),
                    "errors": done.errors,
                },
                "load_average": os.getloadavg(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
