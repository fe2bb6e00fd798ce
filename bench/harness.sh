# Sourced by bench/run_bench.sh and bench/run_wfs_bench.sh: the benchmark harness is an optional tool
# kept outside this repository (MapServer, QGIS Server and pygeoapi as anchors, the synthetic gmina,
# the request lists and drive.py). Without it, these scripts stop with what to do; nothing else of
# the portal (make demo, make test) needs it.
BENCH_DIR=${BENCH_DIR:-/tmp/bench}
BENCH_PY=${BENCH_PY:-/opt/geobench/venv/bin/python}

need_harness() {  # need_harness SCRIPT_NAME
  local missing=""
  [ -f "$BENCH_DIR/drive.py" ] || missing="$BENCH_DIR/drive.py"
  [ -f "$BENCH_DIR/data/gmina.meta.json" ] || missing="$missing $BENCH_DIR/data/gmina.meta.json"
  [ -x "$BENCH_PY" ] || missing="$missing $BENCH_PY"
  [ -z "$missing" ] && return 0
  {
    echo "$1: the benchmark harness is not set up (missing:$missing)."
    echo "  It is an optional tool, not part of this repository; the portal and its tests do not need it."
    echo "  To benchmark: put a writable copy of the harness in \$BENCH_DIR (now $BENCH_DIR) and run its"
    echo "  setup_all.sh there, e.g. on the team's machines:"
    echo "    cp -r ../shared/bench $BENCH_DIR && chmod -R u+w $BENCH_DIR && (cd $BENCH_DIR && ./setup_all.sh)"
    echo "  then bench/load_dataset.sh and this script again (bench/README.md, \"Without the harness\")."
  } >&2
  exit 3
}
