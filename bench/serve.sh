#!/usr/bin/env bash
# Serve the portal for the benchmark: gunicorn, 4 sync workers on 127.0.0.1:8000, DEBUG off.
#   bench/serve.sh start [--cached]   (default: image cache off, WMS_CACHE_SECONDS=0, i.e. uncached)
#   bench/serve.sh stop               (stops the gunicorn whose pid is in $RUNDIR/portal.pid)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
RUNDIR=${RUNDIR:-/tmp/bench-run}; mkdir -p "$RUNDIR"
PORT=${PORTAL_PORT:-8000}; WORKERS=${PORTAL_WORKERS:-4}
# a worker is replaced after this many requests (leak guard; 0: never). The cached run turns it off:
# at ~2,000 req/s a replaced worker would start with an empty cache in the middle of the measurement.
MAX_REQUESTS=${PORTAL_MAX_REQUESTS:-20000}
case "${1:-start}" in
  stop)
    if [ -f "$RUNDIR/portal.pid" ]; then
      pid=$(cat "$RUNDIR/portal.pid")
      kill -QUIT "$pid" 2>/dev/null || true   # gunicorn: QUIT = quick shutdown
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    fi
    rm -f "$RUNDIR/portal.pid"; exit 0 ;;
  start)
    "$0" stop
    CACHE=0; [ "${2:-}" = "--cached" ] && CACHE=86400
    DEBUG=0 SECRET_KEY=${SECRET_KEY:-bench-$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 60)} \
    ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0 \
    DB_CONN_MAX_AGE=600 WMS_MAPNIK_PERSIST_CONNECTION=1 WMS_CACHE_SECONDS=$CACHE LOG_LEVEL=WARNING \
    "$VENV/bin/gunicorn" gis_portal.wsgi:application -w "$WORKERS" -b "127.0.0.1:$PORT" \
      --max-requests "$MAX_REQUESTS" --max-requests-jitter 500 --access-logfile - --error-logfile "$RUNDIR/portal.err" \
      --pid "$RUNDIR/portal.pid" --daemon >/dev/null
    for _ in $(seq 1 100); do
      curl -sf "http://127.0.0.1:$PORT/healthz" -o /dev/null && { echo "portal on http://127.0.0.1:$PORT (cache ${CACHE}s, $WORKERS workers)"; exit 0; }
      sleep 0.2
    done
    echo "portal did not answer; see $RUNDIR/portal.err" >&2; exit 1 ;;
esac
