#!/bin/sh
# First start on an empty volume: initdb, the role POSTGRES_USER (password POSTGRES_PASSWORD) and one
# database per name in POSTGRES_DATABASES, owned by it. Then the server, listening on every interface
# of the container's network with password authentication.
set -eu
for bin in /usr/lib/postgresql/*/bin; do :; done # the one installed major version (the last, were there several)
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "postgres-entrypoint: initialising $PGDATA with databases: $POSTGRES_DATABASES"
  "$bin/initdb" -D "$PGDATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  echo "host all all 0.0.0.0/0 scram-sha-256" >>"$PGDATA/pg_hba.conf"
  echo "host all all ::/0 scram-sha-256" >>"$PGDATA/pg_hba.conf"
  # Set up over the Unix socket only, so nobody connects before the databases exist.
  "$bin/pg_ctl" -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  # The password as a literal: doubled single quotes keep any character in it.
  quoted="$(printf '%s' "$POSTGRES_PASSWORD" | sed "s/'/''/g")"
  psql -v ON_ERROR_STOP=1 -q -U postgres -d postgres -c "CREATE ROLE \"$POSTGRES_USER\" LOGIN PASSWORD '$quoted'"
  for db in $POSTGRES_DATABASES; do
    psql -v ON_ERROR_STOP=1 -q -U postgres -d postgres -c "CREATE DATABASE \"$db\" OWNER \"$POSTGRES_USER\""
  done
  "$bin/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
fi
exec "$bin/postgres" -D "$PGDATA" -c listen_addresses='*'
