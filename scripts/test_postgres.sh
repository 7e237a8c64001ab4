#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on localhost for the test suite and print
# the URL to use as KOMMUNESTRATEGI_TEST_POSTGRES_URL. Needs Debian's `postgresql`.
#   eval "$(scripts/test_postgres.sh)"   # exports the variable
set -euo pipefail
PORT="${PGTEST_PORT:-54329}"
DIR="${PGTEST_DIR:-/tmp/kommunestrategi-pgtest}"
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
RUN_AS=()
if [ "$(id -u)" = "0" ]; then RUN_AS=(runuser -u postgres --); fi
if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  rm -rf "$DIR"
  mkdir -p "$DIR"
  [ "$(id -u)" = "0" ] && chown postgres "$DIR"
  "${RUN_AS[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres -A trust >/dev/null 2>&1
  "${RUN_AS[@]}" "$BIN/pg_ctl" -s -D "$DIR/data" -l "$DIR/log" \
      -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start -w >&2
fi
"$BIN/psql" -q -h 127.0.0.1 -p "$PORT" -U postgres -tc \
  "SELECT 1 FROM pg_database WHERE datname='kommunestrategi_test'" | grep -q 1 \
  || "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres kommunestrategi_test
echo "export KOMMUNESTRATEGI_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:$PORT/kommunestrategi_test"
