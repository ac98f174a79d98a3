#!/bin/sh
# The schema step an operator runs once per release (what real-temporal-server.ts does in the tests):
# both databases created if missing, then migrated to this server's newest schema version. Safe to
# run again: create-database tolerates an existing database, setup-schema -v 0.0 an existing table,
# update-schema applies only newer versions.
set -eu
export SQL_PLUGIN=postgres12 SQL_HOST="${POSTGRES_HOST:?}" SQL_PORT="${POSTGRES_PORT:-5432}" SQL_USER="${POSTGRES_USER:?}" SQL_PASSWORD="${POSTGRES_PASSWORD:?}"
for pair in "${TEMPORAL_DB:-temporal}:temporal" "${TEMPORAL_VISIBILITY_DB:-temporal_visibility}:visibility"; do
  db=${pair%%:*}; schema=${pair#*:}
  SQL_DATABASE=$db temporal-sql-tool create-database 2>/dev/null || echo "[schema] database $db exists"
  SQL_DATABASE=$db temporal-sql-tool setup-schema -v 0.0
  SQL_DATABASE=$db temporal-sql-tool update-schema -d "/etc/temporal/schema/postgresql/v12/$schema/versioned"
  echo "[schema] $db: $schema schema up to date"
done
