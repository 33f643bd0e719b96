#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster on loopback for the store tests and prints the URL to export as
# TRADEWIND_TEST_POSTGRES_URL. Usage: Scripts/start-test-postgres.sh [DIR] [PORT]
# Needs Debian's postgresql package (the binaries under /usr/lib/postgresql/*/bin). Runs the server as the
# `postgres` system user when called as root (PostgreSQL refuses to run as root).
set -euo pipefail
dir=${1:-/tmp/tradewind-pg}
port=${2:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
if ! as_pg "$bin/pg_isready -h 127.0.0.1 -p $port -q"; then
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_pg "$bin/initdb -D '$dir/data' -U tradewind --auth=trust -E UTF8 >/dev/null"
    as_pg "$bin/pg_ctl -D '$dir/data' -l '$dir/log' -o \"-c listen_addresses=127.0.0.1 -p $port -k '$dir' -c fsync=off\" -w start >/dev/null"
    as_pg "$bin/createdb -h 127.0.0.1 -p $port -U tradewind tradewind_test"
fi
echo "postgres://tradewind@127.0.0.1:$port/tradewind_test"
