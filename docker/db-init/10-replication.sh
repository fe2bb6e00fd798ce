#!/bin/sh
# Run once by the official postgres image when the primary's data folder is created
# (/docker-entrypoint-initdb.d): a replication role for the standbys (password: the db_password
# secret), its pg_hba line and the WAL kept for a standby that falls behind. docs/deploy.md.
set -eu
password=$(cat /run/secrets/db_password)
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v pw="$password" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'pw';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
cat >> "$PGDATA/postgresql.conf" <<'CONF'
# streaming replication (docs/deploy.md): standbys connect as replicator
wal_level = replica
max_wal_senders = 10
wal_keep_size = 2GB
hot_standby = on
CONF
