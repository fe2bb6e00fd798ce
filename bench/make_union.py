#!/usr/bin/env python3
"""A union of 36 gminy (~2,000,000 parcels, ~100,000 MPZP zones) for the growth benchmark (issue 17).

Reproducible: the same seed gives the same union. The harness's make_dataset.py (an optional tool
outside this repository, bench/README.md) draws one gmina around Tykocin; it has --parcels and --seed
but no position, so this script

1. draws a few *templates* of realistic sizes (20,000 to 150,000 parcels: Podlaskie's rural gminy
   are 100-500 km2) with make_dataset.py; the 100,000-parcel template is the harness's own bench
   gmina (seed 2180), loaded as `tykocin-bench` where it always was, so the usual request lists hit it;
2. assigns each of the 36 gminy a template, a TERYT (fictional powiats 15-18 of Podlaskie, gmina
   type 3: miejsko-wiejska, as the template's units _4 town and _5 rural) and a place on a 6 x 6
   grid west of Tykocin (cells wider than the largest template: gminy do not overlap, as real ones
   do not; all inside Poland, as the portal's import checks);
3. writes union.json: gminy in load order with their shift (dx, dy in EPSG:2180 metres, x =
   easting), template and the three growth stages (100k, 500k, 2M parcels in the database).

bench/load_union.py reads union.json and loads a stage (shifting geometries, rewriting the TERYT in
every identifier).

    python3 bench/make_union.py [--bench-dir /tmp/bench] [--seed 2181] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BENCH_TEMPLATE = 100_000  # the harness's own gmina.gpkg (seed 2180, TERYT 200212)
# parcels of each template -> how many of the 36 gminy use it (sum 1,980,000)
MIX = {20_000: 7, 35_000: 9, 50_000: 8, 75_000: 7, 100_000: 3, 150_000: 2}
GRID = 6
BENCH_COL = GRID - 1
GAP_M = 2_000.0
PLACEHOLDER_TERYT = "209900"


def template_path(*, data: Path, parcels: int) -> Path:
    if parcels == BENCH_TEMPLATE:
        return data / "gmina.gpkg"
    return data / "union" / f"tpl-{parcels}.gpkg"


def draw_templates(*, bench_dir: Path, python: str, seed: int, jobs: int) -> dict[int, dict]:
    """Every template's GeoPackage (drawn if missing) and its meta (extent, counts)."""
    data = bench_dir / "data"
    (data / "union").mkdir(parents=True, exist_ok=True)

    def draw(parcels: int) -> tuple[int, float]:
        out = template_path(data=data, parcels=parcels)
        if out.exists() and out.with_suffix(".meta.json").exists():
            return parcels, 0.0
        t0 = time.time()
        cmd = [
            python,
            str(bench_dir / "make_dataset.py"),
            "--parcels",
            str(parcels),
            "--seed",
            str(seed + parcels // 1000),
            "--teryt",
            PLACEHOLDER_TERYT,
            "--out",
            str(out),
        ]
        subprocess.run(cmd, check=True, cwd=bench_dir, stdout=subprocess.DEVNULL)
        return parcels, time.time() - t0

    sizes = sorted(MIX, reverse=True)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for parcels, seconds in pool.map(draw, sizes):
            if seconds:
                print(f"template {parcels:>7} parcels drawn in {seconds:.0f} s", file=sys.stderr)
    metas = {}
    for parcels in sizes:
        meta = json.loads(
            template_path(data=data, parcels=parcels).with_suffix(".meta.json").read_text()
        )
        metas[parcels] = {
            "extent": meta["extent"],
            "zones": meta["plan_zones"],
            "gpkg": str(template_path(data=data, parcels=parcels)),
        }
    return metas


def load_order() -> list[int]:
    """Template sizes in load order: the bench gmina first, the largest second (so the 500k stage
    already holds the biggest gmina), then the rest mixed so every stage has small and large ones."""
    rest = [size for size, count in sorted(MIX.items()) for _ in range(count)]
    rest.remove(BENCH_TEMPLATE)
    rest.remove(150_000)
    order = [BENCH_TEMPLATE, 150_000]
    # interleave large and small: 100k, 75k, 20k, 75k, 35k, ...
    rest.sort()
    while rest:
        order.append(rest.pop())
        if rest:
            order.append(rest.pop(0))
    return order


def plan_union(*, metas: dict[int, dict]) -> dict:
    cell = (
        max(
            max(m["extent"][2] - m["extent"][0], m["extent"][3] - m["extent"][1])
            for m in metas.values()
        )
        + GAP_M
    )
    order = load_order()
    # the bench gmina keeps its place (shift 0) in cell (5, 2), the east edge of the grid: Tykocin
    # is 50 km from the border, so the union spreads west of it (every gmina inside Poland)
    cells = [(c, r) for r in range(GRID) for c in range(GRID) if (c, r) != (BENCH_COL, 2)]
    gminy, totals = [], []
    for i, parcels in enumerate(order):
        col, row = (BENCH_COL, 2) if i == 0 else cells[i - 1]
        teryt6 = "200212" if i == 0 else f"20{15 + (i - 1) // 9:02d}{(i - 1) % 9 + 1:02d}"
        gminy.append(
            {
                "slug": "tykocin-bench" if i == 0 else f"zgw-{i:02d}",
                "name": "Tykocin (benchmark)" if i == 0 else f"Gmina związkowa {i:02d}",
                "teryt": f"{teryt6}_3",
                "template": parcels,
                "gpkg": metas[parcels]["gpkg"],
                "dx": round((col - BENCH_COL) * cell),
                "dy": round((2 - row) * cell),
            }
        )
        totals.append((totals[-1] if totals else 0) + parcels)
    # a stage: the first n gminy whose parcels come closest to its size
    stages = {
        name: min(range(1, len(totals) + 1), key=lambda n, s=size: abs(totals[n - 1] - s))
        for name, size in (("100k", 100_000), ("500k", 500_000), ("2m", 2_000_000))
    }
    return {
        "cell_m": round(cell),
        "parcels": totals[-1],
        "stages": stages,
        "gminy": gminy,
        "zones": sum(metas[g["template"]]["zones"] for g in gminy),
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--bench-dir", default=os.environ.get("BENCH_DIR", "/tmp/bench"))  # noqa: S108 (the harness copy, bench/README.md)
    ap.add_argument("--python", default=os.environ.get("BENCH_PY", sys.executable))
    ap.add_argument("--seed", type=int, default=2181)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    bench_dir = Path(args.bench_dir)
    if (
        not (bench_dir / "make_dataset.py").exists()
        or not (bench_dir / "data" / "gmina.gpkg").exists()
    ):
        sys.exit(
            f"make_union: no harness in {bench_dir} (make_dataset.py and data/gmina.gpkg after its "
            "setup_all.sh): bench/README.md, 'Without the harness'"
        )
    t0 = time.time()
    metas = draw_templates(bench_dir=bench_dir, python=args.python, seed=args.seed, jobs=args.jobs)
    union = plan_union(metas=metas)
    out = bench_dir / "data" / "union" / "union.json"
    out.write_text(json.dumps(union, indent=1, ensure_ascii=False))
    print(
        f"{len(union['gminy'])} gminy, {union['parcels']:,} parcels, {union['zones']:,} zones, "
        f"stages {union['stages']}; {out} in {time.time() - t0:.0f} s"
    )


if __name__ == "__main__":
    main()
