#!/usr/bin/env bash
# Serve the portal for the demo: the procrastinate worker in the background, Django in the foreground.
set -euo pipefail
HOST=${1:-127.0.0.1}; PORT=${2:-8000}
export SITE_URL=${SITE_URL:-http://$HOST:$PORT}  # links in e-mails and extracts follow PORT
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
.venv/bin/python manage.py procrastinate worker -c 2 >"${ROOT}/.var/worker.log" 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo "Plan Portal: http://$HOST:$PORT/  (admin: http://$HOST:$PORT/admin/; Ctrl+C stops; 'make stop' stops the database)"
# serve_demo: runserver (static files with --insecure) that sends no Server header naming Python
.venv/bin/python manage.py serve_demo --noreload --insecure "$HOST:$PORT"
