#!/usr/bin/env bash
# Serve the portal for the demo: the procrastinate worker in the background, Django in the foreground.
set -euo pipefail
HOST=${1:-127.0.0.1}; PORT=${2:-8000}
export SITE_URL=${SITE_URL:-http://$HOST:$PORT}  # links in e-mails and extracts follow PORT
# The demo runs as users see the product: DEBUG off (real error pages, nothing internal shown),
# static files served by the development server (its --insecure option). It is plain HTTP on this machine, so no HTTPS-only
# cookies, redirect or HSTS, and the demo admins have no authenticator (two-step stays optional).
# DEMO_DEBUG=1 make demo brings Django's debug pages back.
export DEBUG=${DEMO_DEBUG:-0}
if [ "$DEBUG" = 0 ]; then
  export ALLOWED_HOSTS=${ALLOWED_HOSTS:-$HOST,127.0.0.1,localhost,[::1]}
  export SECURE_COOKIES=${SECURE_COOKIES:-0} SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-0}
  export SECURE_HSTS_SECONDS=${SECURE_HSTS_SECONDS:-0}
  export TWO_FACTOR_REQUIRED_FOR_ADMINS=${TWO_FACTOR_REQUIRED_FOR_ADMINS:-0}
fi
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
.venv/bin/python manage.py procrastinate worker -c 2 >"${ROOT}/.var/worker.log" 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo "Plan Portal: http://$HOST:$PORT/  (admin: http://$HOST:$PORT/admin/; Ctrl+C stops; 'make stop' stops the database)"
# serve_demo: runserver (static files with --insecure) that sends no Server header naming Python
.venv/bin/python manage.py serve_demo --noreload --insecure "$HOST:$PORT"
