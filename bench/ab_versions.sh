#!/usr/bin/env bash
# Two versions of the portal against each other on the same data, alternating A B A B … (the robust
# ratio on a noisy machine; bench/README.md, "Architecture step (issue 14): before/after").
#   bench/ab_versions.sh OLD_CHECKOUT NEW_CHECKOUT [OUTDIR]
# e.g. git worktree add /tmp/portal-old 1bad71e (and link .venv); bench/ab_versions.sh /tmp/portal-old .
# Each checkout serves its own database with its own bench/serve.sh (uncached, then --cached):
#   DB_OLD (portal_bench_old), DB_NEW (portal_bench_new); LOAD=1 creates, migrates and fills them
#   first (each with its own code and its own bench/load_dataset.sh).
# Env: PORT_OLD (8211), PORT_NEW (8212), WORKERS (2), CONCURRENCY (4), AB_ROUNDS (3), AB_DURATION (5),
#   BENCH_DIR (/tmp/bench: the harness's drive.py, requests.py and data/gmina.gpkg), BENCH_PY.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/harness.sh
source "$ROOT/bench/harness.sh"
need_harness ab_versions
OLD=$(cd "$1" && pwd); NEW=$(cd "$2" && pwd)
OUT=${3:-$BENCH_DIR/results/versions-$(date -u +%Y%m%dT%H%MZ)}
DB_OLD=${DB_OLD:-portal_bench_old}; DB_NEW=${DB_NEW:-portal_bench_new}
PORT_OLD=${PORT_OLD:-8211}; PORT_NEW=${PORT_NEW:-8212}
CONCURRENCY=${CONCURRENCY:-4}; AB_ROUNDS=${AB_ROUNDS:-3}; AB_DURATION=${AB_DURATION:-5}
SECRET_KEY=${SECRET_KEY:-bench-$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 60)}
export SECRET_KEY LOCAL_ENV_FILE= RATELIMIT_ENABLED=0 PORTAL_WORKERS=${WORKERS:-2} PORTAL_MAX_REQUESTS=0
WMS="wms_tile256_s1000 wms_tile256_s5000 wms_tile256_s25000 wms_img1024_s1000 wms_img1024_s5000 wms_img1024_s25000 wms_gfi"
TILES="wms_tile256_s1000 wms_tile256_s5000 wms_tile256_s25000"
WFS="wfs_bbox_geojson wfs_bbox_gml wfs_page_geojson"; OAPIF="wfs_bbox_geojson wfs_page_geojson"
mkdir -p "$OUT"

side() {  # side old|new COMMAND...: run COMMAND in that checkout with its database, port and run dir
  local dir=$OLD db=$DB_OLD port=$PORT_OLD
  [ "$1" = new ] && { dir=$NEW; db=$DB_NEW; port=$PORT_NEW; }
  (cd "$dir" && export PGDATABASE=$db PORTAL_PORT=$port RUNDIR=/tmp/bench-run-$1 && source scripts/env.sh \
    && shift && "$@")
}

if [ "${LOAD:-0}" = 1 ]; then
  for s in old new; do
    db=$DB_OLD; [ $s = new ] && db=$DB_NEW
    side $s bash -c "psql -X -q \"\${DATABASE_URL%/*}/postgres\" -c 'DROP DATABASE IF EXISTS $db' -c 'CREATE DATABASE $db' \
      && psql -X -q \"\$DATABASE_URL\" -c 'CREATE EXTENSION IF NOT EXISTS postgis' \
      && .venv/bin/python manage.py migrate --no-input -v0 && bench/load_dataset.sh \"$BENCH_DIR/data/gmina.gpkg\""
  done
fi

table() {  # table AB_JSON...: old and new req/s (p50/p95 ms, medians of the rounds), new ÷ old per round
  "$BENCH_PY" - --old -old "$@" <<'PY'
import json, statistics, sys

args = sys.argv[1:]
old_suffix = "-before"
if args[:1] == ["--old"]:
    old_suffix, args = args[1], args[2:]
rows = {}  # request type -> {"old": [phase results], "new": [...], "ratios": [new/old per round]}
for path in args:  # files measuring the same pair (e.g. A B and B A orders) are pooled per type
    doc = json.load(open(path))
    old, new = (doc["a"], doc["b"]) if doc["a"].endswith(old_suffix) else (doc["b"], doc["a"])
    for r in doc["results"]:
        row = rows.setdefault(r["type"] + (" (OGC API)" if "oapif" in old else ""), {"old": [], "new": [], "ratios": []})
        row["old" if r["target"] == old else "new"].append(r)
    for o in [r for r in doc["results"] if r["target"] == old]:
        n = next(r for r in doc["results"] if r["target"] == new and r["type"] == o["type"] and r["round"] == o["round"])
        rows[o["type"] + (" (OGC API)" if "oapif" in old else "")]["ratios"].append(n["rps"] / o["rps"])


def cell(rs):
    med = lambda k: statistics.median(r[k] for r in rs)  # noqa: E731
    return f"{med('rps'):.1f} ({med('p50_ms'):.0f}/{med('p95_ms'):.0f})", med("p95_ms")


print("| request type | old req/s (p50/p95 ms) | new req/s (p50/p95 ms) | new ÷ old req/s (rounds min–max) | new p95 ÷ old p95 | errors |")
print("|---|---|---|---|---|---|")
for label, row in rows.items():
    (o, o95), (w, w95), rr = cell(row["old"]), cell(row["new"]), row["ratios"]
    errs = sum(r["errors"] for r in row["old"] + row["new"])
    print(f"| {label} | {o} | {w} | **{statistics.median(rr):.2f}** ({min(rr):.2f}–{max(rr):.2f}), {len(rr)} rounds "
          f"| {w95 / o95:.2f} | {errs} |")
PY
}

profiles() {  # the request lists of both versions: the same requests, each at its own port
  "$BENCH_PY" - "$NEW/bench" "$BENCH_DIR/profiles" "$PORT_OLD" "$PORT_NEW" <<'PY'
import json, sys
src, dst, ports = sys.argv[1], sys.argv[2], {"old": sys.argv[3], "new": sys.argv[4]}
for base in ("portal", "portal-oapif"):
    for s, port in ports.items():
        p = json.load(open(f"{src}/{base}.json"))
        p["name"], p["base_url"] = f"{base}-{s}", f"http://127.0.0.1:{port}"
        json.dump(p, open(f"{dst}/{base}-{s}.json", "w"), indent=1)
PY
  for n in portal-old portal-new portal-oapif-old portal-oapif-new; do
    (cd "$BENCH_DIR" && "$BENCH_PY" requests.py --profile "profiles/$n.json" >/dev/null)
  done
}

ab() {  # ab NAME LIST TYPES...: old and new alternating
  local name=$1 list=$2; shift 2
  (cd "$BENCH_DIR" && "$BENCH_PY" drive.py ab "lists/$list-old.jsonl" "lists/$list-new.jsonl" \
    --concurrency "$CONCURRENCY" --rounds "$AB_ROUNDS" --duration "$AB_DURATION" --warmup 1 --types "$@" \
    --out "$OUT/ab_$name.json" 2>&1 >/dev/null | tee -a "$OUT/drive.log" | grep -E '^==' || true)
}

profiles
{ date -u; nproc; uptime; git -C "$OLD" log --oneline -1; git -C "$NEW" log --oneline -1; } > "$OUT/machine.txt"
side old bench/serve.sh start; side new bench/serve.sh start
ab wms portal $WMS
ab wfs portal $WFS
ab oapif portal-oapif $OAPIF
uptime >> "$OUT/machine.txt"
side old bench/serve.sh start --cached; side new bench/serve.sh start --cached
(cd "$BENCH_DIR" && for s in old new; do   # fill both image caches (each worker has its own)
  "$BENCH_PY" drive.py run "lists/portal-$s.jsonl" --concurrency "$CONCURRENCY" --duration 20 --warmup 0 \
    --types $TILES >/dev/null 2>&1; done)
ab cached portal $TILES
uptime >> "$OUT/machine.txt"
side old bench/serve.sh stop; side new bench/serve.sh stop
table "$OUT"/ab_{wms,wfs,oapif}.json | tee "$OUT/table.md"
echo "cached:" | tee -a "$OUT/table.md"
table "$OUT/ab_cached.json" | tee -a "$OUT/table.md"
echo "results in $OUT"
