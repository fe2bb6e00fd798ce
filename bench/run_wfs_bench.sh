#!/usr/bin/env bash
# The WFS and OGC API Features benchmark of the portal against MapServer, QGIS Server and pygeoapi,
# in one run (issue 5; bench/README.md, "WFS and OGC API Features").
#   PGDATABASE=portal_wms bench/run_wfs_bench.sh [OUTDIR]
# Needs: the benchmark harness (optional, outside this repository: bench/harness.sh says what to do
# without it) set up in $BENCH_DIR, the dataset loaded into the portal's database $PGDATABASE
# (bench/load_dataset.sh).
# Env: DURATION (10), WARMUP (2), CONCURRENCY ("1 4"), AB_ROUNDS (3), AB_DURATION (5), AB_WARMUP (1),
#      AB_CONCURRENCY (4), PORTAL_PORT (8000, as bench/serve.sh), BENCH_DIR (/tmp/bench).
# Starts what it needs (the anchors, their PostgreSQL, the portal uncached) and stops what it started,
# also on failure or Ctrl-C.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/harness.sh
source "$ROOT/bench/harness.sh"
OUT=${1:-$BENCH_DIR/results/portal-wfs-$(date -u +%Y%m%dT%H%MZ)}
DURATION=${DURATION:-10}; WARMUP=${WARMUP:-2}; CONCURRENCY=${CONCURRENCY:-1 4}
AB_ROUNDS=${AB_ROUNDS:-3}; AB_DURATION=${AB_DURATION:-5}; AB_WARMUP=${AB_WARMUP:-1}
AB_CONCURRENCY=${AB_CONCURRENCY:-4}
PORTAL_PORT=${PORTAL_PORT:-8000}; export PORTAL_PORT
PY=$BENCH_PY
BENCH_PGPORT=${BENCH_PGPORT:-5499}
WFS_TYPES="wfs_bbox_geojson wfs_bbox_gml wfs_page_geojson"
OAPIF_TYPES="wfs_bbox_geojson wfs_page_geojson"
WFS_TARGETS="portal mapserver qgis"
OAPIF_TARGETS="portal-oapif pygeoapi qgis-oapif"
: "${PGDATABASE:?set PGDATABASE to the portal database that holds gmina tykocin-bench (bench/load_dataset.sh), e.g. portal_wms}"
export PGDATABASE

die() { echo "run_wfs_bench: $*" >&2; exit 1; }
need_harness run_wfs_bench

# The anchors read their settings from the harness's common.sh: a PGPORT/PGROOT/VENV exported by the
# portal's scripts/env.sh must not leak into them (nor the harness's VENV into bench/serve.sh).
anchor() { env -u PGPORT -u PGROOT -u PGDB -u VENV "$BENCH_DIR/anchors/$1/$2.sh"; }
portal() { env -u VENV "$ROOT/bench/serve.sh" "$@"; }
pg_up() { /usr/lib/postgresql/15/bin/pg_isready -q -h 127.0.0.1 -p "$BENCH_PGPORT"; }

STARTED=()
PORTAL_STARTED=0
PG_STARTED=0
stop_started() {
  set +e
  [ "$PORTAL_STARTED" = 1 ] && portal stop
  for a in "${STARTED[@]}"; do anchor "$a" stop >/dev/null 2>&1; done
  [ "$PG_STARTED" = 1 ] && env -u PGPORT -u PGROOT "$BENCH_DIR/pg/stop.sh" >/dev/null 2>&1
  PORTAL_STARTED=0; STARTED=(); PG_STARTED=0
  set -e
}
trap stop_started EXIT
trap 'exit 130' INT TERM

mkdir -p "$OUT"
cd "$BENCH_DIR"
pg_up || PG_STARTED=1                              # the anchors' start.sh start it if it is down
for a in mapserver qgis pygeoapi; do
  STARTED+=("$a")
  anchor "$a" start >/dev/null
done
PORTAL_STARTED=1
portal start                                       # uncached (WMS_CACHE_SECONDS=0), 4 workers
base="http://127.0.0.1:$PORTAL_PORT"
curl -sf -o /dev/null "$base/tykocin-bench/ows?SERVICE=WFS&REQUEST=GetCapabilities" \
  && curl -sf -o /dev/null "$base/ogcapi/collections/tykocin-bench:dzialki?f=json" \
  || die "gmina tykocin-bench is not in database $PGDATABASE: run bench/load_dataset.sh first"

# the portal's profiles, with the port bench/serve.sh listens on
for p in portal portal-oapif; do
  "$PY" -c 'import json, sys; d = json.load(open(sys.argv[1])); d["base_url"] = sys.argv[3]
open(sys.argv[2], "w").write(json.dumps(d, indent=2) + "\n")' \
    "$ROOT/bench/$p.json" "$BENCH_DIR/profiles/$p.json" "$base"
done
for t in $WFS_TARGETS $OAPIF_TARGETS; do "$PY" requests.py --profile "profiles/$t.json" >/dev/null; done

# drive.py with its progress lines on the terminal, everything it says in OUT/drive.log
drive() {
  "$PY" drive.py "$@" 2>&1 >/dev/null | tee -a "$OUT/drive.log" | { grep --line-buffered -E 'req/s|^==' || true; }
}
lists() { for t in "$@"; do printf 'lists/%s.jsonl ' "$t"; done; }
ab() {  # ab A B TYPES...
  local a=$1 b=$2; shift 2
  drive ab "lists/$a.jsonl" "lists/$b.jsonl" --concurrency $AB_CONCURRENCY --rounds "$AB_ROUNDS" \
    --duration "$AB_DURATION" --warmup "$AB_WARMUP" --types "$@" --out "$OUT/ab_${a}_vs_$b.json"
}

n_c=$(wc -w <<<"$CONCURRENCY"); n_abc=$(wc -w <<<"$AB_CONCURRENCY")
estimate=$(awk -v c="$n_c" -v abc="$n_abc" -v d="$DURATION" -v w="$WARMUP" -v r="$AB_ROUNDS" \
  -v ad="$AB_DURATION" -v aw="$AB_WARMUP" 'BEGIN { printf "%d", 15*c*(w+d) + 8*abc*r*2*(aw+ad) }')
echo "measuring ~${estimate} s; results in $OUT"
{ date -u; nproc; uptime; echo "portal $(git -C "$ROOT" rev-parse --short HEAD), database $PGDATABASE"; } > "$OUT/machine.txt"

# 1. one run: every target after the other, each type at each concurrency
# shellcheck disable=SC2046
drive run $(lists $WFS_TARGETS $OAPIF_TARGETS) --concurrency $CONCURRENCY --duration "$DURATION" \
  --warmup "$WARMUP" --types $WFS_TYPES --out "$OUT/run_wfs.json"
# 2. alternation A B A B …: the robust ratio on a noisy machine
ab portal mapserver $WFS_TYPES
ab portal qgis $WFS_TYPES
ab portal-oapif pygeoapi $OAPIF_TYPES
# 3. the same request id must give the same feature count everywhere (and in GML and GeoJSON)
"$PY" drive.py compare "$OUT/run_wfs.json" "$OUT"/ab_*.json > "$OUT/count_check.json"
uptime >> "$OUT/machine.txt"
stop_started
python3 "$ROOT/bench/table_wfs.py" "$OUT" | tee "$OUT/table.md"
echo "results in $OUT"
