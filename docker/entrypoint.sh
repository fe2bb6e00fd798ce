#!/bin/sh
# Migrate first when asked (the web service does; the worker waits for it), then run the command.
set -e
if [ "${MIGRATE_ON_START:-0}" = "1" ]; then
  python manage.py migrate --no-input
fi
exec "$@"
