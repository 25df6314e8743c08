#!/usr/bin/env bash
# A private PostgreSQL cluster for the tests: its own data directory, port and socket dir, run as
# the postgres user, trust auth on loopback only. `start` prints the export line for the URL.
#   .ci/postgres.sh start   # initdb (first time) + pg_ctl -w start; prints GEO_TEST_DATABASE_URL
#   .ci/postgres.sh stop    # pg_ctl stop (fast) and remove the data directory
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PGPORT=${GEO_PG_PORT:-55432}
PGROOT=${GEO_PG_ROOT:-/tmp/geo-atlas-pg-$PGPORT}
DATA="$PGROOT/data"
SOCKETS="$PGROOT/sockets"
URL="postgresql://postgres@127.0.0.1:$PGPORT/postgres"

as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
  start)
    if [ ! -s "$DATA/PG_VERSION" ]; then
      mkdir -p "$DATA" "$SOCKETS"
      [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$PGROOT"
      chmod 700 "$DATA"
      as_postgres "$PG_BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=trust \
        -E UTF8 --locale=C.UTF-8 >"$PGROOT/initdb.log" 2>&1 || { cat "$PGROOT/initdb.log" >&2; exit 1; }
      # One role that must give its password, so the tests can check what wrong credentials do.
      { echo "host all geo_password_test 127.0.0.1/32 scram-sha-256"; cat "$DATA/pg_hba.conf"; } >"$DATA/pg_hba.new"
      mv "$DATA/pg_hba.new" "$DATA/pg_hba.conf"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA/pg_hba.conf"
      # Loopback only: nobody else on the machine reaches this throwaway cluster.
      printf "listen_addresses = '127.0.0.1'\nport = %s\nunix_socket_directories = '%s'\nfsync = off\n" \
        "$PGPORT" "$SOCKETS" >>"$DATA/postgresql.conf"
    fi
    if ! as_postgres "$PG_BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
      as_postgres "$PG_BIN/pg_ctl" -D "$DATA" -l "$PGROOT/server.log" -w -t 60 start >/dev/null \
        || { cat "$PGROOT/server.log" >&2; exit 1; }
    fi
    echo "export GEO_TEST_DATABASE_URL=$URL"
    ;;
  stop)
    if [ -s "$DATA/PG_VERSION" ]; then
      as_postgres "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PGROOT"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
