# Sourced by scripts/*.sh and the Makefile's recipes: where things live. Every value can be overridden.
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
VENV=${VENV:-$ROOT/.venv}
PYTHON=${PYTHON:-python3}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGROOT=${PGROOT:-$ROOT/.var/pg}
# as root, postgres may not reach the checkout (e.g. under /root): setup.sh then uses /tmp
if [ "$(id -u)" = 0 ] && [ ! -f "$PGROOT/data/PG_VERSION" ] && [ -n "${ROOT}" ] \
   && ! runuser -u postgres -- test -x "$ROOT" 2>/dev/null; then
  PGROOT="/tmp/plan-portal-pg-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
fi
PGPORT=${PGPORT:-54329}
PGDATABASE=${PGDATABASE:-portal}
# DATABASE_URL given from outside means an external server; one this file computed (exported with
# DATABASE_URL_EXTERNAL=0) is recomputed, so sourcing it twice or nested keeps the local cluster.
if [ -n "${DATABASE_URL:-}" ] && [ "${DATABASE_URL_EXTERNAL:-1}" = 1 ]; then
  DATABASE_URL_EXTERNAL=1
else
  DATABASE_URL_EXTERNAL=0
  DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/$PGDATABASE"
fi
export VENV PGROOT PGPORT PGDATABASE DATABASE_URL DATABASE_URL_EXTERNAL
# make demo / make test are development set-ups: DEBUG on unless said otherwise (production: docker-compose).
DEBUG=${DEBUG:-1}
export DEBUG
