#!/bin/sh
# A hot standby of the `db` service (docker-compose profile `scale`; docs/deploy.md): on first start
# its data folder is a pg_basebackup of the primary with -R (standby.signal + primary_conninfo),
# then the official image's entrypoint starts PostgreSQL as usual (read-only, replaying the WAL).
set -eu
PRIMARY_HOST=${PRIMARY_HOST:-db}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h "$PRIMARY_HOST" -p 5432 -q; do
    echo "standby: waiting for the primary $PRIMARY_HOST"
    sleep 2
  done
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  PGPASSWORD=$(cat /run/secrets/db_password) gosu postgres \
    pg_basebackup -h "$PRIMARY_HOST" -U replicator -D "$PGDATA" -R -X stream -c fast -P
fi
exec docker-entrypoint.sh postgres -c hot_standby=on -c hot_standby_feedback=on
