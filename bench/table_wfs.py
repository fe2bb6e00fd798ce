"""Markdown tables of a WFS / OGC API Features run: the portal against MapServer, QGIS Server and
pygeoapi, as ratios, and the targets of issue 5.

    python3 bench/table_wfs.py RESULTS_DIR
        (reads run_wfs.json, ab_<a>_vs_<b>.json, count_check.json, machine.txt of bench/run_wfs_bench.sh)

Standard library only (runs in the harness's venv or any Python 3).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from table import cells, load

TYPES = ["wfs_bbox_geojson", "wfs_bbox_gml", "wfs_page_geojson"]
NAMES = {
    "portal": "portal",
    "mapserver": "MapServer",
    "qgis": "QGIS Server",
    "portal-oapif": "portal /ogcapi/",
    "pygeoapi": "pygeoapi",
    "qgis-oapif": "QGIS Server /wfs3",
}
GROUPS = (
    (
        "WFS GetFeature (portal and MapServer: WFS 2.0; QGIS Server: WFS 1.1)",
        "portal",
        ("mapserver", "qgis"),
    ),
    ("OGC API Features, items", "portal-oapif", ("pygeoapi", "qgis-oapif")),
)
AB = (("portal", "mapserver"), ("portal", "qgis"), ("portal-oapif", "pygeoapi"))
# issue 5, Speed: what is asked, request type, the portal's target, the anchors to match or beat
GOALS = (
    (
        "BBOX GeoJSON ≥ the faster of MapServer and QGIS Server",
        "wfs_bbox_geojson",
        "portal",
        ("mapserver", "qgis"),
    ),
    (
        "BBOX GML ≥ the faster of MapServer and QGIS Server",
        "wfs_bbox_gml",
        "portal",
        ("mapserver", "qgis"),
    ),
    ("paging COUNT=1000 + STARTINDEX ≥ MapServer", "wfs_page_geojson", "portal", ("mapserver",)),
    (
        "paging limit=1000 + offset ≥ pygeoapi (OGC API Features)",
        "wfs_page_geojson",
        "portal-oapif",
        ("pygeoapi",),
    ),
)


def fmt(c: dict | None) -> str:
    if not c:
        return "—"
    if c["p50"] is None:
        return f"fail ({c['errors']} err)"
    s = f"{c['rps']:.1f} ({c['p50']:.0f}/{c['p95']:.0f})"
    return s + (f" **{c['errors']} err**" if c["errors"] else "")


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def bold(x: float | None) -> str:
    return f"**{x:.2f}**" if x is not None else "—"


def one_run(run: list[dict], concurrency: int) -> None:
    for title, portal, anchors in GROUPS:
        p = cells(run, portal, concurrency)
        if not p:
            continue
        a = {name: cells(run, name, concurrency) for name in anchors}
        heads = [NAMES[n] for n in anchors]
        print(f"\n#### {title}, one run, concurrency {concurrency}\n")
        print(
            f"| request type | {NAMES[portal]} | "
            + " | ".join(heads)
            + " | "
            + " | ".join(f"portal ÷ {h}" for h in heads)
            + " | portal ÷ faster anchor | portal p95 ÷ its p95 |"
        )
        print("|---|---|" + "---|" * (2 * len(anchors) + 2))
        for t in TYPES:
            if t not in p:
                continue
            mine = p[t]
            theirs = [a[n].get(t) for n in anchors]
            best = max((x for x in theirs if x), key=lambda x: x["rps"], default=None)
            ratios = " | ".join(bold(ratio(mine["rps"], x and x["rps"])) for x in theirs)
            p95 = ratio(mine["p95"], best and best["p95"])
            print(
                f"| {t} | {fmt(mine)} | "
                + " | ".join(fmt(x) for x in theirs)
                + f" | {ratios} | {bold(ratio(mine['rps'], best and best['rps']))} | "
                + (f"{p95:.2f}" if p95 is not None else "—")
                + " |"
            )
        sizes = "; ".join(
            f"{t}: "
            + ", ".join(
                f"{NAMES[n]} {cells(run, n, concurrency)[t]['kb']:.0f}"
                for n in (portal, *anchors)
                if t in cells(run, n, concurrency)
            )
            for t in TYPES
            if t in p
        )
        print(f"\nMean answer size (KB): {sizes}.")


def alternation(folder: Path) -> dict[tuple[str, str, str, int], dict]:
    """Print one table per A/B file; return drive.py's ratio entries by (a, b, type, concurrency)."""
    entries = {}
    for a, b in AB:
        doc = load(folder / f"ab_{a}_vs_{b}.json")
        if not doc["results"]:
            continue
        rounds = len({r["round"] for r in doc["results"]})
        print(f"\n#### Alternation {NAMES[a]} / {NAMES[b]} (A B A B …, {rounds} rounds)\n")
        print(
            f"| request type | c | {NAMES[a]} req/s | {NAMES[b]} req/s | ratio, median of rounds (min–max) "
            f"| {NAMES[a]} p50/p95 ms | {NAMES[b]} p50/p95 ms |"
        )
        print("|---|---|---|---|---|---|---|")
        for e in doc["ratios"]:
            c = e["concurrency"]
            entries[(a, b, e["type"], c)] = e
            ca, cb = cells(doc["results"], a, c)[e["type"]], cells(doc["results"], b, c)[e["type"]]
            mm = e["rps_ratio_min_max"]
            spread = f" ({mm[0]:.2f}–{mm[1]:.2f})" if mm else ""
            lat = [
                f"{x['p50']:.0f}/{x['p95']:.0f}" if x["p50"] is not None else "—" for x in (ca, cb)
            ]
            errs = e["errors_a"] + e["errors_b"]
            print(
                f"| {e['type']} | {c} | {e['rps_a']} | {e['rps_b']} | {bold(e['rps_ratio_a_over_b'])}{spread}"
                + (f" **{errs} err**" if errs else "")
                + f" | {lat[0]} | {lat[1]} |"
            )
    return entries


def goals(run: list[dict], entries: dict, concurrency: int) -> None:
    print(f"\n#### Targets of issue 5 (concurrency {concurrency}; ratio = portal ÷ anchor req/s)\n")
    print(
        "| target | portal req/s | anchor req/s | one run | alternation (median of rounds) | met |"
    )
    print("|---|---|---|---|---|---|")
    for what, t, portal, anchors in GOALS:
        mine = cells(run, portal, concurrency).get(t)
        theirs = {n: cells(run, n, concurrency).get(t) for n in anchors}
        if not mine or not all(theirs.values()):
            print(f"| {what} | — | — | — | — | not measured |")
            continue
        best = max(theirs.values(), key=lambda x: x["rps"])
        single = ratio(mine["rps"], best["rps"])
        alt = {n: entries.get((portal, n, t, concurrency)) for n in anchors}
        alt_r = [e["rps_ratio_a_over_b"] for e in alt.values() if e and e["rps_ratio_a_over_b"]]
        checks = [x >= 1 for x in (single, *alt_r) if x is not None]
        met = "yes" if checks and all(checks) else "no" if not any(checks) else "mixed"
        print(
            f"| {what} | {mine['rps']:.1f} | "
            + ", ".join(f"{NAMES[n]} {x['rps']:.1f}" for n, x in theirs.items())
            + f" | {bold(single)} | "
            + ", ".join(
                f"{NAMES[n]} {bold(e['rps_ratio_a_over_b'])}" if e else f"{NAMES[n]} —"
                for n, e in alt.items()
            )
            + f" | {met} |"
        )


def main(folder: Path) -> None:
    run = load(folder / "run_wfs.json")["results"]
    concs = sorted({r["concurrency"] for r in run})
    machine = folder / "machine.txt"
    print(f"Results from `{folder}`.")
    if machine.exists():
        print(
            "Machine: " + "; ".join(line.strip() for line in machine.read_text().splitlines()) + "."
        )
    print(
        "Cells: req/s (p50/p95 latency, ms). Ratios: portal ÷ anchor (req/s), > 1 means the portal"
        " is faster."
    )
    for c in concs:
        one_run(run, c)
    entries = alternation(folder)
    if concs:
        goals(run, entries, 4 if 4 in concs else concs[-1])
    failed = [r for r in run if r["errors"]]
    for doc in (load(folder / f"ab_{a}_vs_{b}.json") for a, b in AB):
        failed += [r for r in doc["results"] if r["errors"]]
    if failed:
        print("\nErrors:\n")
        for r in failed:
            print(
                f"- {r['target']} {r['type']} c={r['concurrency']}: {r['errors']}: {r.get('error_samples')}"
            )
    check = folder / "count_check.json"
    if check.exists():
        cc = json.loads(check.read_text())
        print(
            f"\nFeature counts (`drive.py compare`): {cc['compared']} request ids compared across"
            f" targets and formats, {cc['mismatches']} with a difference."
        )
    docs = [load(folder / "run_wfs.json")] + [load(folder / f"ab_{a}_vs_{b}.json") for a, b in AB]
    against_portal(docs)


def against_portal(docs: list[dict]) -> None:
    """Feature counts of each target (and of the portal's GML) against the portal's, by request id."""
    counts: dict[str, dict[str, int]] = {}
    for doc in docs:
        for name, by_id in doc.get("counts", {}).items():
            counts.setdefault(name, {}).update(by_id)
    ref = counts.get("portal")
    if not ref:
        return
    gml = {
        i.replace("wfs_bbox_gml/", "wfs_bbox_geojson/"): n
        for i, n in ref.items()
        if i.startswith("wfs_bbox_gml/")
    }
    parts = []
    for name, by_id in [*counts.items(), ("portal GML vs its GeoJSON", gml)]:
        common = [i for i in by_id if i in ref and name != "portal"]
        if not common:
            continue
        more = sum(by_id[i] > ref[i] for i in common)
        fewer = sum(by_id[i] < ref[i] for i in common)
        part = f"{NAMES.get(name, name)}: {len(common)} ids, {more + fewer} differ"
        parts.append(part + (f" ({more} more, {fewer} fewer)" if more + fewer else ""))
    print("Against the portal's counts, same request id: " + "; ".join(parts) + ".")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
