#!/usr/bin/env bash
# Plan Portal set-up: Debian packages, .venv, a project-local PostgreSQL 15 + PostGIS, migrations.
# Idempotent: a re-run with everything in place checks and changes nothing.
#   scripts/setup.sh [all|packages|venv|db|localenv|migrate|stop]
# With DATABASE_URL set, no local database is started: that server is used as it is.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/env.sh
. "$ROOT/scripts/env.sh"

# Package clients trust the system's CA bundle (also when a TLS-inspecting proxy signs with a local CA).
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  export SSL_CERT_FILE=${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}
  export NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}
  export PIP_CERT=${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}
fi

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

APT_PKGS="postgresql-15 redis-server postgresql-15-postgis-3 postgresql-client-15 gdal-bin libgdal32 gdal-data
 libgeos-c1v5 libproj25 proj-data libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
 fonts-dejavu-core fonts-liberation2 chromium poppler-utils docker-compose python3-venv gettext"

packages() {
  local missing="" p
  for p in $APT_PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  # npm (for the browser tests' axe-core) may come from elsewhere than Debian: only if absent
  command -v npm >/dev/null || missing="$missing npm"
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "Missing Debian packages. Install them as root, then re-run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends$missing" >&2
    exit 1
  fi
  say "installing Debian packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  # Debian's postgresql-common would create and start a system cluster on 5432; we run our own.
  mkdir -p /etc/postgresql-common
  [ -f /etc/postgresql-common/createcluster.conf ] \
    || printf 'create_main_cluster = false\n' > /etc/postgresql-common/createcluster.conf
  # another apt run (unattended-upgrades on a fresh VM) may hold the dpkg lock: wait for it
  apt-get -o DPkg::Lock::Timeout=900 update -qq
  # shellcheck disable=SC2086
  apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends $missing >/dev/null
}

venv() {
  local stamp="$VENV/.installed" want
  want=$(cat pyproject.toml | sha256sum | cut -c1-16)
  if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then return 0; fi
  say "building $VENV"
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  [ -x "$VENV/bin/uv" ] || "$VENV/bin/python" -m pip install -q --disable-pip-version-check uv==0.13.9
  # the platform's certificate store, so that TLS-inspecting proxies trusted by the system work too
  VIRTUAL_ENV="$VENV" UV_SYSTEM_CERTS=1 "$VENV/bin/uv" pip install -q --python "$VENV/bin/python" -r pyproject.toml --extra dev
  echo "$want" > "$stamp"
}

# Test-only JavaScript tools (axe-core for the browser tests' accessibility check), from npm.
node_tools() {
  [ -f package.json ] || return 0
  if ! command -v npm >/dev/null; then
    echo "npm not found: the browser tests' accessibility check needs node_modules/axe-core" >&2
    return 0
  fi
  local want
  want=$(sha256sum package-lock.json | cut -c1-16)
  [ "$(cat node_modules/.installed 2>/dev/null)" = "$want" ] && return 0
  say "installing test tools from npm (package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  echo "$want" > node_modules/.installed
}

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

db() {
  if [ "${DATABASE_URL_EXTERNAL:-0}" = 1 ]; then
    say "DATABASE_URL is set: using that server, starting nothing"
    return 0
  fi
  mkdir -p "$PGROOT"
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$PGROOT"
    if ! runuser -u postgres -- test -x "$PGROOT"; then
      echo "user postgres cannot reach $PGROOT; set PGROOT to a folder it can traverse" >&2
      exit 1
    fi
  fi
  if [ ! -f "$PGROOT/data/PG_VERSION" ]; then
    say "initialising PostgreSQL cluster in $PGROOT/data"
    as_pg "$PGBIN/initdb" -D "$PGROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 -N >/dev/null
  fi
  if ! as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" status >/dev/null 2>&1; then
    say "starting PostgreSQL on 127.0.0.1:$PGPORT"
    as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w -t 60 -o \
      "-k $PGROOT -p $PGPORT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null
  fi
  local q="psql -X -q -h 127.0.0.1 -p $PGPORT -U postgres"
  $q -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$PGDATABASE'" | grep -q 1 \
    || $q -d postgres -c "CREATE DATABASE \"$PGDATABASE\""
  $q -d "$PGDATABASE" -c "CREATE EXTENSION IF NOT EXISTS postgis" 2>&1 | grep -v "already exists" || true
  # template1 gets PostGIS too, so that test databases have it from the start
  $q -d template1 -c "CREATE EXTENSION IF NOT EXISTS postgis" 2>&1 | grep -v "already exists" || true
}

# The checkout's local settings, read by gis_portal/settings.py so that `.venv/bin/python manage.py …`
# works in a new shell: the database as env.sh resolved it (PGROOT may have moved to /tmp), development
# mode, and a secret generated once and kept across runs. One git-ignored file, .env.local (not .env,
# which docker-compose would read), or LOCAL_ENV_FILE (empty: none). Lines of other names are kept;
# the environment always wins over the file.
LOCAL_KEYS="DEBUG SECRET_KEY DATABASE_URL SITE_URL PGROOT PGPORT PGDATABASE"
localenv() {
  local file=${LOCAL_ENV_FILE-$ROOT/.env.local} secret="" kept="" key
  [ -n "$file" ] || return 0
  if [ -f "$file" ]; then
    secret=$(sed -n 's/^SECRET_KEY=//p' "$file" | tail -n 1)
    kept=$(grep -v -E "^(#|($(echo "$LOCAL_KEYS" | tr ' ' '|'))=)" "$file" || true)
  fi
  [ "${#secret}" -ge 50 ] || secret=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(48))')
  (
    umask 077
    {
      echo "# Local settings of this checkout, written by scripts/setup.sh localenv (git-ignored)."
      echo "# Read by gis_portal/settings.py; an environment variable wins; production never reads it."
      echo "DEBUG=1"
      echo "SECRET_KEY=$secret"
      echo "DATABASE_URL=$DATABASE_URL"
      echo "SITE_URL=http://${HOST:-127.0.0.1}:${PORT:-8000}"
      for key in PGROOT PGPORT PGDATABASE; do echo "$key=${!key}"; done
      [ -z "$kept" ] || printf '%s\n' "$kept"
    } > "$file.tmp"
  )
  mv "$file.tmp" "$file"
}

migrate() {
  "$VENV/bin/python" manage.py migrate --no-input -v0
}

stop() {
  if [ -f "$PGROOT/data/postmaster.pid" ]; then
    say "stopping PostgreSQL ($PGROOT)"
    as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast -w stop >/dev/null
  fi
}

case "${1:-all}" in
  all) packages; venv; node_tools; db; localenv; migrate ;;
  packages) packages ;;
  venv) venv; node_tools ;;
  db) db ;;
  localenv) localenv ;;
  migrate) migrate ;;
  stop) stop ;;
  *) echo "usage: $0 [all|packages|venv|db|localenv|migrate|stop]" >&2; exit 2 ;;
esac
