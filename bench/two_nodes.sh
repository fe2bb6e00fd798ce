#!/usr/bin/env bash
# One measured point for issue 17 part 3: two app nodes and a hot standby, against one node alone,
# on this machine, same database, same request list (bench/README.md, "Union scale").
#
#   export PGDATABASE=portal_g100k      # a database bench/load_union.py filled
#   bench/two_nodes.sh start            # standby + Redis + node 1 and 2 behind nginx (:8320),
#                                       # and one node alone (:8323)
#   .venv/bin/python bench/growth_bench.py ab LIST --target one=http://127.0.0.1:8323 \
#       --target two=http://127.0.0.1:8320 --concurrency 8 --out DIR
#   bench/two_nodes.sh stop
#
# The standby is a `pg_basebackup -R` of the running cluster (as docs/deploy.md sets one up), on
# port 54341; the nodes are bench/serve.sh gunicorns (4 sync workers each, DEBUG off, image cache
# off) with DATABASE_REPLICA_URLS (anonymous reads on the standby) and REDIS_URL (a redis-server on
# 6391: Django cache, rate limits); nginx balances them (round robin, keep-alive upstreams), as the
# docker-compose `scale` profile does. The node alone is the same gunicorn with neither.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
RUN=${TWO_NODES_DIR:-/tmp/two-nodes}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
STANDBY_PORT=54341
REDIS_PORT=6391
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

stop() {
  for node in node1 node2 single; do RUNDIR="$RUN/$node" bench/serve.sh stop 2>/dev/null || true; done
  [ -f "$RUN/nginx.pid" ] && nginx -c "$RUN/nginx.conf" -s stop 2>/dev/null || true
  [ -f "$RUN/redis.pid" ] && kill "$(cat "$RUN/redis.pid")" 2>/dev/null || true
  [ -d "$RUN/standby" ] && as_pg "$PGBIN/pg_ctl" -D "$RUN/standby" -m fast -w stop 2>/dev/null || true
  psql -X -q "$DATABASE_URL" -c "SELECT pg_drop_replication_slot('bench_two_nodes')
    FROM pg_replication_slots WHERE slot_name = 'bench_two_nodes'" >/dev/null 2>&1 || true
  rm -rf "$RUN"
}

start() {
  for tool in nginx redis-server "$PGBIN/pg_basebackup"; do
    command -v "$tool" >/dev/null || { echo "two_nodes: $tool is missing (apt-get install nginx" \
      "redis-server postgresql-15)" >&2; exit 3; }
  done
  stop
  mkdir -p "$RUN"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$RUN"
  local t0; t0=$(date +%s)
  as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PGPORT" -U postgres -D "$RUN/standby" -R \
    -X stream -c fast -C -S bench_two_nodes --no-sync
  local limits; limits=$(psql -X -At "$DATABASE_URL" -c "SELECT string_agg(name || ' = ' || setting, E'\n')
    FROM pg_settings WHERE name IN ('max_connections', 'max_worker_processes', 'max_wal_senders',
    'max_prepared_transactions', 'max_locks_per_transaction')")
  printf '\nport = %s\nlisten_addresses = %s\nunix_socket_directories = %s\nhot_standby_feedback = on\nfsync = off\n%s\n' \
    "$STANDBY_PORT" "'127.0.0.1'" "'$RUN'" "$limits" | as_pg sh -c "cat >> '$RUN/standby/postgresql.auto.conf'"
  as_pg "$PGBIN/pg_ctl" -D "$RUN/standby" -l "$RUN/standby/log" -w start >/dev/null
  echo "standby on $STANDBY_PORT in $(( $(date +%s) - t0 )) s"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$RUN/redis.pid" --logfile "$RUN/redis.log"
  local replica="postgres://postgres@127.0.0.1:$STANDBY_PORT/${DATABASE_URL##*/}"
  for node in 1 2; do
    RUNDIR="$RUN/node$node" PORTAL_PORT=832$node DATABASE_REPLICA_URLS="$replica" \
      REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" bench/serve.sh start
  done
  RUNDIR="$RUN/single" PORTAL_PORT=8323 bench/serve.sh start
  mkdir -p "$RUN/nginx"
  cat > "$RUN/nginx.conf" <<CONF
worker_processes 1;
pid $RUN/nginx.pid;
error_log $RUN/nginx.err warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $RUN/nginx/body; fastcgi_temp_path $RUN/nginx/fcgi;
  proxy_temp_path $RUN/nginx/proxy; uwsgi_temp_path $RUN/nginx/uwsgi; scgi_temp_path $RUN/nginx/scgi;
  keepalive_requests 1000000;
  proxy_buffers 64 64k;
  upstream app { server 127.0.0.1:8321; server 127.0.0.1:8322; keepalive 32; }
  server {
    listen 127.0.0.1:8320;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_read_timeout 300s;
    }
  }
}
CONF
  nginx -c "$RUN/nginx.conf"
  echo "two nodes + standby behind nginx: http://127.0.0.1:8320; one node alone: http://127.0.0.1:8323"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
