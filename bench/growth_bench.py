#!/usr/bin/env python3
"""Growth benchmark (issue 17): the same request mix at each stage of the union (bench/make_union.py).

    source scripts/env.sh        # the database bench/load_union.py filled, served by bench/serve.sh
    .venv/bin/python bench/growth_bench.py requests --gmina tykocin-bench --out /tmp/growth/reqs.jsonl
    .venv/bin/python bench/growth_bench.py run /tmp/growth/reqs.jsonl --label 100k \
        --base-url http://127.0.0.1:8000 --concurrency 4 --duration 8 --out /tmp/growth/100k.json
    .venv/bin/python bench/growth_bench.py table /tmp/growth/100k.json /tmp/growth/500k.json ...

`requests` draws, from the database, a fixed list per type (deterministic: parcels sampled by id
stride, so every stage replays the very same URLs for the same gmina):
  WMS GetMap tiles 256 px at 1:1,000, 1:5,000, 1:25,000 and 1024x768 images at the same scales
  (layers wektor-str,dzialki, CRS EPSG:2180, northing first), GetFeatureInfo on a parcel; WFS 2.0
  BBOX GeoJSON and GML (1,088 m squares), paging (COUNT=1000, STARTINDEX, SORTBY=id_dzialki); OGC
  API Features items (bbox; limit/offset paging); the portal's pages: the gmina's map page, the
  search as typed (1, 2, 3 characters, the number, the precinct and number), the parcel panel, the
  parcel page, the plan page, the informational PDF, the platform-wide search; the platform-wide
  /ows GetCapabilities (WMS 1.3.0 and WFS 2.0: every gmina's layers).
`run` replays each type for --duration seconds after a one-second warm-up at --concurrency keep-alive
clients (threads) and checks every answer (HTTP 200, the content type of its kind; a PNG that is a
PNG, GeoJSON with features, a PDF that is a PDF). Latency: send to last byte. `table` prints p95 per
type and stage and the ratio of each stage to the first.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from growth_requests import cmd_requests  # beside this script (bench/ is not a package)

EXPECT = {
    "png": ("image/png",),
    "json": ("json",),
    "gml": ("xml",),
    "html": ("text/html",),
    "pdf": ("application/pdf",),
    "xml": ("xml",),
}


def read_requests(path: str) -> list[dict]:
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def check(*, expect: str, status: int, ctype: str, body: bytes) -> str | None:
    if status != 200:
        return f"HTTP {status}: {body[:120]!r}"
    if not any(t in ctype.lower() for t in EXPECT[expect]):
        return f"content type {ctype!r}"
    if expect == "png" and not body.startswith(b"\x89PNG"):
        return "not a PNG"
    if expect == "pdf" and not body.startswith(b"%PDF"):
        return "not a PDF"
    return None


def fetch(*, conn, url, req: dict) -> tuple[http.client.HTTPConnection | None, str | None]:
    """One request on a keep-alive connection (opened if None): (the connection to reuse, a problem)."""
    try:
        conn = conn or http.client.HTTPConnection(url.hostname, url.port, timeout=120)
        conn.request("GET", req["path"])
        resp = conn.getresponse()
        body = resp.read()
        problem = check(
            expect=req["expect"],
            status=resp.status,
            ctype=resp.getheader("Content-Type", ""),
            body=body,
        )
        if resp.getheader("Connection", "").lower() == "close":
            conn.close()
            conn = None
        return conn, problem
    except (OSError, http.client.HTTPException) as exc:
        return None, f"{type(exc).__name__}: {exc}"


def phase(*, base: str, reqs: list[dict], concurrency: int, duration: float, warmup: float) -> dict:
    """One type against one server: the summary row (with the raw latencies under "ms")."""
    u = urlsplit(base)
    lock, times, errors, counter = threading.Lock(), [], [], [0]
    t_start = time.perf_counter()
    t_measure, t_end = t_start + warmup, t_start + warmup + duration

    def worker() -> None:
        conn = None
        while True:
            with lock:
                req = reqs[counter[0] % len(reqs)]
                counter[0] += 1
            if time.perf_counter() >= t_end:
                break
            t0 = time.perf_counter()
            conn, problem = fetch(conn=conn, url=u, req=req)
            t1 = time.perf_counter()
            if t0 >= t_measure:
                with lock:
                    times.append(t1 - t0)
                    if problem:
                        errors.append(f"{req['path'][:100]} -> {problem}")

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ms = sorted(t * 1000 for t in times)
    pct = lambda p: ms[min(len(ms) - 1, int(p * len(ms)))] if ms else None  # noqa: E731
    return {
        "n": len(ms),
        "rps": round(len(ms) / duration, 1),
        "p50": pct(0.5),
        "p95": pct(0.95),
        "mean": statistics.fmean(ms) if ms else None,
        "errors": len(errors),
        "error_samples": errors[:3],
        "ms": ms,
    }


def summary(*, ms: list[float], seconds: float, errors: int, samples: list[str]) -> dict:
    ms = sorted(ms)
    pct = lambda p: ms[min(len(ms) - 1, int(p * len(ms)))] if ms else None  # noqa: E731
    return {
        "n": len(ms),
        "rps": round(len(ms) / seconds, 1) if seconds else None,
        "p50": pct(0.5),
        "p95": pct(0.95),
        "mean": statistics.fmean(ms) if ms else None,
        "errors": errors,
        "error_samples": samples[:3],
    }


def cmd_ab(args) -> None:
    """Servers in alternation (A B C A B C …, per type): each stage's own database behind its own
    server, so a noisy machine loads every stage alike; latencies pooled over the rounds, and the
    median of the per-round p95 ratios to the first target."""
    reqs = read_requests(args.requests)
    types = list(dict.fromkeys(r["type"] for r in reqs))
    if args.types:
        types = [t for t in types if any(t.startswith(w) for w in args.types)]
    targets = [t.split("=", 1) for t in args.target]
    results = {
        label: {
            "label": label,
            "concurrency": args.concurrency,
            "duration": args.duration,
            "rounds": args.rounds,
            "types": {},
        }
        for label, _ in targets
    }
    for rtype in types:
        of_type = [r for r in reqs if r["type"] == rtype]
        pooled = {label: ([], 0, []) for label, _ in targets}
        round_p95 = {label: [] for label, _ in targets}
        for _ in range(args.rounds):
            for label, base in targets:
                row = phase(
                    base=base,
                    reqs=of_type,
                    concurrency=args.concurrency,
                    duration=args.duration,
                    warmup=args.warmup,
                )
                ms, errs, samples = pooled[label]
                pooled[label] = (
                    ms + row["ms"],
                    errs + row["errors"],
                    samples + row["error_samples"],
                )
                round_p95[label].append(row["p95"])
        first = targets[0][0]
        for label, _ in targets:
            ms, errs, samples = pooled[label]
            row = summary(ms=ms, seconds=args.duration * args.rounds, errors=errs, samples=samples)
            ratios = [
                b / a for a, b in zip(round_p95[first], round_p95[label], strict=True) if a and b
            ]
            row["p95_ratio_median"] = statistics.median(ratios) if ratios else None
            row["p95_rounds"] = round_p95[label]
            results[label]["types"][rtype] = row
            print(
                f"{label:>6} {rtype:<28} n={row['n']:>5} p50 {row['p50'] or 0:8.1f}  p95 {row['p95'] or 0:8.1f} ms"
                f"  p95/{first} (median of rounds) {row['p95_ratio_median'] or 0:.2f}  errors {errs}",
                flush=True,
            )
            for e in row["error_samples"]:
                print("        ", e, flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for label, result in results.items():
        (out / f"{label}.json").write_text(json.dumps(result, indent=1))


def mixed(*, base: str, reqs: list[dict], concurrency: int, until) -> dict[str, list[float]]:
    """All types interleaved (the list shuffled once) until ``until()`` is true: per type latencies."""
    u = urlsplit(base)
    order = reqs[:]
    random.Random(5).shuffle(order)
    lock, counter, times, errors = threading.Lock(), [0], {}, []

    def worker() -> None:
        conn = None
        while not until():
            with lock:
                req = order[counter[0] % len(order)]
                counter[0] += 1
            t0 = time.perf_counter()
            conn, problem = fetch(conn=conn, url=u, req=req)
            with lock:
                times.setdefault(req["type"], []).append((time.perf_counter() - t0) * 1000)
                if problem:
                    errors.append(problem)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times["_errors"] = errors
    return times


def cmd_during(args) -> None:
    """The mix idle for --idle seconds, then while --command runs (an import), then idle again:
    p95 per type in each phase and the ratio of the busy phase to the first idle one."""
    import shlex
    import subprocess

    reqs = read_requests(args.requests)
    if args.types:
        reqs = [r for r in reqs if any(r["type"].startswith(w) for w in args.types)]
    phases = {}
    end = time.monotonic() + args.idle
    phases["idle"] = mixed(
        base=args.base_url,
        reqs=reqs,
        concurrency=args.concurrency,
        until=lambda: time.monotonic() >= end,
    )
    t0 = time.monotonic()
    proc = subprocess.Popen(shlex.split(args.command))
    phases["import"] = mixed(
        base=args.base_url,
        reqs=reqs,
        concurrency=args.concurrency,
        until=lambda: proc.poll() is not None,
    )
    seconds = time.monotonic() - t0
    end = time.monotonic() + args.idle
    phases["idle after"] = mixed(
        base=args.base_url,
        reqs=reqs,
        concurrency=args.concurrency,
        until=lambda: time.monotonic() >= end,
    )
    print(f"command exited {proc.returncode} after {seconds:.0f} s")
    pct = lambda ms: sorted(ms)[min(len(ms) - 1, int(0.95 * len(ms)))]  # noqa: E731
    print(
        "| type | idle n, p95 ms | during the import n, p95 ms | idle after n, p95 ms | during ÷ idle |"
    )
    print("|---|---|---|---|---|")
    for rtype in sorted(t for t in phases["idle"] if t != "_errors"):
        cells = [
            f"{len(phases[p].get(rtype, []))}, {pct(phases[p][rtype]):.0f}"
            if phases[p].get(rtype)
            else "–"
            for p in phases
        ]
        ratio = (
            (pct(phases["import"][rtype]) / pct(phases["idle"][rtype]))
            if phases["import"].get(rtype)
            else 0
        )
        print(f"| {rtype} | " + " | ".join(cells) + f" | {ratio:.2f} |")
    print("errors:", {p: len(phases[p]["_errors"]) for p in phases})
    Path(args.out).write_text(
        json.dumps(
            {
                "seconds": seconds,
                "returncode": proc.returncode,
                "phases": phases,
            }
        )
    )


def cmd_run(args) -> None:
    reqs = read_requests(args.requests)
    types = list(dict.fromkeys(r["type"] for r in reqs))
    if args.types:
        types = [t for t in types if any(t.startswith(w) for w in args.types)]
    result = {
        "label": args.label,
        "concurrency": args.concurrency,
        "duration": args.duration,
        "types": {},
    }
    for rtype in types:
        of_type = [r for r in reqs if r["type"] == rtype]
        row = phase(
            base=args.base_url,
            reqs=of_type,
            concurrency=args.concurrency,
            duration=args.duration,
            warmup=args.warmup,
        )
        result["types"][rtype] = {k: v for k, v in row.items() if k != "ms"}
        print(
            f"{args.label:>6} {rtype:<28} n={row['n']:>5} {row['rps']:>7} req/s  p50 {row['p50'] or 0:8.1f}"
            f"  p95 {row['p95'] or 0:8.1f} ms  errors {row['errors']}",
            flush=True,
        )
        for e in row["error_samples"]:
            print("        ", e, flush=True)
    Path(args.out).write_text(json.dumps(result, indent=1))


def cmd_table(args) -> None:
    runs = [json.loads(Path(p).read_text()) for p in args.results]
    first = runs[0]
    head = (
        "| type | "
        + " | ".join(f"{r['label']} p50/p95 ms" for r in runs)
        + " | "
        + " | ".join(f"p95 {r['label']}÷{first['label']}" for r in runs[1:])
        + " |"
    )
    print(head)
    print("|" + "---|" * (1 + 2 * len(runs) - 1))
    for rtype in first["types"]:
        cells, ratios = [], []
        for r in runs:
            row = r["types"].get(rtype)
            cells.append(
                f"{row['p50']:.0f}/{row['p95']:.0f}"
                + (f" ({row['errors']} err)" if row["errors"] else "")
                if row and row["p95"]
                else "–"
            )
        for r in runs[1:]:
            row, base = r["types"].get(rtype), first["types"][rtype]
            if row and row.get("p95_ratio_median"):
                ratios.append(
                    f"{row['p95'] / base['p95']:.2f} (rounds {row['p95_ratio_median']:.2f})"
                )
            else:
                ratios.append(
                    f"{row['p95'] / base['p95']:.2f}" if row and row["p95"] and base["p95"] else "–"
                )
        print(f"| {rtype} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("requests")
    r.add_argument("--gmina", default="tykocin-bench")
    r.add_argument("--per-type", type=int, default=60)
    r.add_argument("--seed", type=int, default=17)
    r.add_argument(
        "--prefix", default="", help="prefix of every type (e.g. 'big:' for another gmina)"
    )
    r.add_argument("--out", required=True)
    r.set_defaults(func=cmd_requests)
    r = sub.add_parser("run")
    r.add_argument("requests")
    r.add_argument("--label", required=True)
    r.add_argument("--base-url", default="http://127.0.0.1:8000")
    r.add_argument("--concurrency", type=int, default=4)
    r.add_argument("--duration", type=float, default=8.0)
    r.add_argument("--warmup", type=float, default=1.0)
    r.add_argument("--types", nargs="*")
    r.add_argument("--out", required=True)
    r.set_defaults(func=cmd_run)
    r = sub.add_parser("ab")
    r.add_argument("requests")
    r.add_argument(
        "--target", action="append", required=True, help="LABEL=BASE_URL, the first is the base"
    )
    r.add_argument("--rounds", type=int, default=3)
    r.add_argument("--concurrency", type=int, default=4)
    r.add_argument("--duration", type=float, default=4.0)
    r.add_argument("--warmup", type=float, default=1.0)
    r.add_argument("--types", nargs="*")
    r.add_argument("--out", required=True, help="a directory: LABEL.json per target")
    r.set_defaults(func=cmd_ab)
    r = sub.add_parser("during")
    r.add_argument("requests")
    r.add_argument(
        "--command", required=True, help="run while measuring (e.g. bench/import_gmina.py …)"
    )
    r.add_argument("--base-url", default="http://127.0.0.1:8000")
    r.add_argument("--concurrency", type=int, default=4)
    r.add_argument("--idle", type=float, default=30.0)
    r.add_argument("--types", nargs="*")
    r.add_argument("--out", required=True)
    r.set_defaults(func=cmd_during)
    r = sub.add_parser("table")
    r.add_argument("results", nargs="+")
    r.set_defaults(func=cmd_table)
    args = ap.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
