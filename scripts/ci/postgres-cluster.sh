#!/usr/bin/env bash
# Starts a private PostgreSQL cluster for the test matrix (CI, or a developer's machine with Debian's postgresql
# package): cluster "bangban" on port ${KB_PG_PORT:-55432}, C.UTF-8 collation (text sorts by code point, as in
# SQLite), trust authentication on loopback only. Prints the URL to set as KB_TEST_DATABASE_URL.
#   bash scripts/ci/postgres-cluster.sh          create if missing, start
#   bash scripts/ci/postgres-cluster.sh stop
set -euo pipefail
PORT="${KB_PG_PORT:-55432}"
VERSION="$(ls /usr/lib/postgresql | sort -n | tail -1)"
NAME=bangban
if [ "${1:-start}" = stop ]; then
  pg_ctlcluster "$VERSION" "$NAME" stop || true
  exit 0
fi
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$VERSION $NAME"; then
  pg_createcluster "$VERSION" "$NAME" --port "$PORT" --locale C.UTF-8 --encoding UTF8 -- --auth-local=trust --auth-host=trust >/dev/null
  # loopback only; enough connections for parallel test files and replicas
  cat >> "/etc/postgresql/$VERSION/$NAME/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
max_connections = 300
fsync = on
CONF
fi
pg_ctlcluster "$VERSION" "$NAME" start 2>/dev/null || pg_ctlcluster "$VERSION" "$NAME" status >/dev/null
echo "postgres://postgres@127.0.0.1:$PORT/postgres"
