#!/usr/bin/env bash
# Serve the portal for the benchmark: gunicorn, 4 sync workers on 127.0.0.1:8000, DEBUG off, no
# access log (as the anchors' nginx: access_log off).
#   bench/serve.sh start [--cached]   (default: image cache off, WMS_CACHE_SECONDS=0, i.e. uncached)
#   bench/serve.sh stop               (stops what start started: pids in $RUNDIR)
# PORTAL_PROXY=1: as docker/nginx.conf deploys it, a private nginx on 127.0.0.1:8000 (keep-alive to
# the client, access_log off, as the anchors') in front of gunicorn on a unix socket (as the anchors'
# FastCGI workers). Without it the sync workers close the connection after every answer.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
# the benchmark measures the work, not the per-client limits (wms/ows/throttle.py, accounts/ratelimit.py)
export RATELIMIT_ENABLED=${RATELIMIT_ENABLED:-0}
RUNDIR=${RUNDIR:-/tmp/bench-run}; mkdir -p "$RUNDIR"
PORT=${PORTAL_PORT:-8000}; WORKERS=${PORTAL_WORKERS:-4}
PROXY=${PORTAL_PROXY:-0}
if [ "$PROXY" = 1 ] && ! command -v nginx >/dev/null; then
  echo "nginx not found (the harness's setup_all.sh installs it): serving without it" >&2; PROXY=0
fi
# a worker is replaced after this many requests (leak guard; 0: never). The cached run turns it off:
# at ~2,000 req/s a replaced worker would start with an empty cache in the middle of the measurement.
MAX_REQUESTS=${PORTAL_MAX_REQUESTS:-20000}
# no access log, as the anchors' nginx (access_log off); PORTAL_ACCESS_LOG=1 writes one to $RUNDIR
ACCESS=(); [ "${PORTAL_ACCESS_LOG:-0}" = 1 ] && ACCESS=(--access-logfile "$RUNDIR/portal.access")

stop_pid() {  # stop_pid FILE SIGNAL
  if [ -f "$1" ]; then
    local pid; pid=$(cat "$1")
    kill -"$2" "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  rm -f "$1"
}

nginx_conf() {
  mkdir -p "$RUNDIR/nginx-portal"
  cat > "$RUNDIR/nginx-portal.conf" <<CONF
worker_processes 2;
pid $RUNDIR/nginx-portal.pid;
error_log $RUNDIR/nginx-portal.err warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path $RUNDIR/nginx-portal/body; fastcgi_temp_path $RUNDIR/nginx-portal/fcgi;
  proxy_temp_path $RUNDIR/nginx-portal/proxy; uwsgi_temp_path $RUNDIR/nginx-portal/uwsgi;
  scgi_temp_path $RUNDIR/nginx-portal/scgi;
  keepalive_requests 1000000;
  proxy_buffers 64 64k;
  server {
    listen 127.0.0.1:$PORT;
    location / {
      proxy_pass http://unix:$RUNDIR/portal.sock;
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_read_timeout 300s;
    }
  }
}
CONF
}

case "${1:-start}" in
  stop)
    stop_pid "$RUNDIR/nginx-portal.pid" QUIT
    stop_pid "$RUNDIR/portal.pid" QUIT   # gunicorn: QUIT = quick shutdown
    rm -f "$RUNDIR/portal.sock"; exit 0 ;;
  start)
    "$0" stop
    CACHE=0; [ "${2:-}" = "--cached" ] && CACHE=86400
    BIND="127.0.0.1:$PORT"; [ "$PROXY" = 1 ] && BIND="unix:$RUNDIR/portal.sock"
    DEBUG=0 SECRET_KEY=${SECRET_KEY:-bench-$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 60)} \
    ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0 \
    DB_CONN_MAX_AGE=600 WMS_MAPNIK_PERSIST_CONNECTION=1 WMS_CACHE_SECONDS=$CACHE LOG_LEVEL=WARNING \
    "$VENV/bin/gunicorn" gis_portal.wsgi:application -w "$WORKERS" -b "$BIND" \
      --max-requests "$MAX_REQUESTS" --max-requests-jitter 500 "${ACCESS[@]}" --error-logfile "$RUNDIR/portal.err" \
      --pid "$RUNDIR/portal.pid" --daemon >/dev/null
    if [ "$PROXY" = 1 ]; then nginx_conf; nginx -c "$RUNDIR/nginx-portal.conf" -p "$RUNDIR/nginx-portal"; fi
    for _ in $(seq 1 100); do
      curl -sf "http://127.0.0.1:$PORT/healthz" -o /dev/null && {
        echo "portal on http://127.0.0.1:$PORT (cache ${CACHE}s, $WORKERS workers, nginx in front: $PROXY)"; exit 0; }
      sleep 0.2
    done
    echo "portal did not answer; see $RUNDIR/portal.err" >&2; exit 1 ;;
esac
