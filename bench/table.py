"""Markdown table of a benchmark run: the portal against MapServer and QGIS Server, as ratios.

    python3 bench/table.py RESULTS_DIR   (reads run_wms.json, ab_portal_vs_*.json, run_cached.json,
    ab_cached_vs_*.json)

Standard library only (runs in the harness's venv or any Python 3).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

TYPES = [
    "wms_tile256_s1000",
    "wms_tile256_s5000",
    "wms_tile256_s25000",
    "wms_img1024_s1000",
    "wms_img1024_s5000",
    "wms_img1024_s25000",
    "wms_gfi",
]


def load(path: Path) -> dict:
    return json.loads(path.read_text()) if path.exists() else {"results": []}


def cells(results: list[dict], target: str, concurrency: int = 4) -> dict[str, dict]:
    """Per request type: req/s over all rounds, median p50, worst p95 (None without answers)."""
    out: dict[str, list[dict]] = {}
    for r in results:
        if r["target"] == target and r["concurrency"] == concurrency:
            out.setdefault(r["type"], []).append(r)
    merged = {}
    for rtype, rows in out.items():
        ok = sum(r["ok"] for r in rows)
        wall = sum(r["wall_s"] for r in rows)
        p50s = sorted(r["p50_ms"] for r in rows if r["p50_ms"] is not None)
        p95s = [r["p95_ms"] for r in rows if r["p95_ms"] is not None]
        merged[rtype] = {
            "rps": ok / wall if wall else 0.0,
            "p95": max(p95s) if p95s else None,
            "p50": p50s[len(p50s) // 2] if p50s else None,
            "errors": sum(r["errors"] for r in rows),
            "kb": max((r["mean_kb"] or 0) for r in rows),
        }
    return merged


def alternation(folder: Path, prefix: str, portal_name: str, *, column: str, ratio: str) -> None:
    """The tables of ``<prefix>_<anchor>.json`` (drive.py ab: the portal and one anchor in turn)."""
    for anchor, name in (("mapserver", "MapServer"), ("qgis", "QGIS Server")):
        ab = load(folder / f"{prefix}_{anchor}.json")
        if not ab["results"]:
            continue
        a, b = cells(ab["results"], "portal"), cells(ab["results"], anchor)
        print(f"\n### Alternation {portal_name} / {name} (A B A B …, concurrency 4)\n")
        print(f"| request type | {column} | {name} req/s | ratio | portal p95 | {name} p95 |")
        print("|---|---|---|---|---|---|")
        for t in TYPES:
            if t in a and t in b:
                print(
                    f"| {t} | {a[t]['rps']:.1f} | {b[t]['rps']:.1f} | "
                    f"{ratio.format(a[t]['rps'] / b[t]['rps'])} | {a[t]['p95']:.0f} | {b[t]['p95']:.0f} |"
                )


def main(folder: Path) -> None:
    run = load(folder / "run_wms.json")["results"]
    portal, ms, qgis = (cells(run, t) for t in ("portal", "mapserver", "qgis"))
    print("### One run, concurrency 4 (req/s, p50/p95 ms)\n")
    print(
        "| request type | portal | MapServer | QGIS Server | portal ÷ faster anchor (req/s) | portal p95 ÷ its p95 |"
    )
    print("|---|---|---|---|---|---|")
    for t in TYPES:
        if t not in portal:
            continue
        p, m, q = portal[t], ms.get(t), qgis.get(t)
        best = max((x for x in (m, q) if x), key=lambda x: x["rps"])
        fmt = lambda x: f"{x['rps']:.1f} ({x['p50']:.0f}/{x['p95']:.0f})" if x else "—"  # noqa: E731
        print(
            f"| {t} | {fmt(p)} | {fmt(m)} | {fmt(q)} | **{p['rps'] / best['rps']:.2f}** | "
            f"{p['p95'] / best['p95']:.2f} |"
        )
    alternation(folder, "ab_portal_vs", "portal", column="portal req/s", ratio="**{:.2f}**")
    cached = cells(load(folder / "run_cached.json")["results"], "portal")
    if cached:
        print("\n### Cached tiles (image cache on, warm), concurrency 4\n")
        print(
            "| request type | portal cached req/s (p50/p95 ms) | ÷ portal uncached | ÷ faster anchor |"
        )
        print("|---|---|---|---|")
        for t in TYPES:
            if t in cached and t in portal:
                best = max((x for x in (ms.get(t), qgis.get(t)) if x), key=lambda x: x["rps"])
                c = cached[t]
                print(
                    f"| {t} | {c['rps']:.1f} ({c['p50']:.0f}/{c['p95']:.0f}) | "
                    f"**{c['rps'] / portal[t]['rps']:.1f}×** | **{c['rps'] / best['rps']:.1f}×** |"
                )
    alternation(
        folder, "ab_cached_vs", "cached portal", column="portal cached req/s", ratio="**{:.1f}×**"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
