#!/usr/bin/env bash
# The WMS benchmark of the portal against MapServer and QGIS Server, in one run (bench/README.md).
#   PGDATABASE=portal_x bench/run_bench.sh [OUTDIR]
# Needs: the benchmark harness (optional, outside this repository: bench/harness.sh says what to do
# without it) set up in $BENCH_DIR, the dataset loaded into the portal (bench/load_dataset.sh).
# Env: DURATION (10), AB_ROUNDS (3), AB_DURATION (5), BENCH_DIR (/tmp/bench), BENCH_PY.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/harness.sh
source "$ROOT/bench/harness.sh"
need_harness run_bench
OUT=${1:-$BENCH_DIR/results/portal-$(date -u +%Y%m%dT%H%MZ)}
DURATION=${DURATION:-10}; AB_ROUNDS=${AB_ROUNDS:-3}; AB_DURATION=${AB_DURATION:-5}
PY=$BENCH_PY
TYPES="wms_tile256_s1000 wms_tile256_s5000 wms_tile256_s25000 wms_img1024_s1000 wms_img1024_s5000 wms_img1024_s25000 wms_gfi"
TILES="wms_tile256_s1000 wms_tile256_s5000 wms_tile256_s25000"
mkdir -p "$OUT"
cp "$ROOT/bench/portal.json" "$BENCH_DIR/profiles/portal.json"
cd "$BENCH_DIR"
./anchors/mapserver/start.sh >/dev/null
./anchors/qgis/start.sh >/dev/null
"$ROOT/bench/serve.sh" start                       # uncached (WMS_CACHE_SECONDS=0)
for t in portal mapserver qgis; do "$PY" requests.py --profile profiles/$t.json >/dev/null; done
{ date -u; nproc; uptime; } > "$OUT/machine.txt"
"$PY" drive.py run lists/portal.jsonl lists/mapserver.jsonl lists/qgis.jsonl --concurrency 4 \
  --duration "$DURATION" --warmup 2 --types $TYPES --out "$OUT/run_wms.json" 2>&1 >/dev/null | grep "req/s" | tee "$OUT/run.log"
for anchor in mapserver qgis; do
  "$PY" drive.py ab lists/portal.jsonl lists/$anchor.jsonl --concurrency 4 --rounds "$AB_ROUNDS" \
    --duration "$AB_DURATION" --warmup 1 --types $TYPES --out "$OUT/ab_portal_vs_$anchor.json" 2>&1 >/dev/null \
    | grep -E "^==" | tee -a "$OUT/ab.log"
done
PORTAL_MAX_REQUESTS=0 "$ROOT/bench/serve.sh" start --cached   # image cache on; the warm-up fills it
"$PY" drive.py run lists/portal.jsonl --concurrency 4 --duration "$DURATION" --warmup 45 --types $TILES \
  --out "$OUT/run_cached.json" 2>&1 >/dev/null | grep "req/s" | tee -a "$OUT/run.log"
# the cached portal and each anchor alternating (A B A B …) on the tiles: the robust ratio of the two
for anchor in mapserver qgis; do
  "$PY" drive.py ab lists/portal.jsonl lists/$anchor.jsonl --concurrency 4 --rounds "$AB_ROUNDS" \
    --duration "$AB_DURATION" --warmup 1 --types $TILES --out "$OUT/ab_cached_vs_$anchor.json" 2>&1 >/dev/null \
    | grep -E "^==" | sed "s/^== /== cached: /" | tee -a "$OUT/ab.log"
done
echo "portal worker RSS (kB) after the runs: $(ps -o rss= --ppid "$(cat "${RUNDIR:-/tmp/bench-run}/portal.pid")" | tr -s ' \n' ' ')" \
  | tee -a "$OUT/machine.txt"
uptime >> "$OUT/machine.txt"
"$ROOT/bench/serve.sh" stop
./anchors/mapserver/stop.sh >/dev/null; ./anchors/qgis/stop.sh >/dev/null
python3 "$ROOT/bench/table.py" "$OUT" | tee "$OUT/table.md"
echo "results in $OUT"
