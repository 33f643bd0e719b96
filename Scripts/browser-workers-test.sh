#!/usr/bin/env bash
# The dashboard's Status view with distributed workers, in a real browser: a `tradewind serve` on a fresh PostgreSQL
# database (from TRADEWIND_TEST_POSTGRES_URL, which .ci/run sets) and one real `tradewind worker`; Selenium checks that
# the view lists the worker (name, host, threads, state, current task, heartbeat age) with no console error.
# Usage: Scripts/browser-workers-test.sh [path/to/tradewind]   (after Scripts/browser-test.sh made its venv)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/debug/tradewind}
: "${TRADEWIND_TEST_POSTGRES_URL:?is not set (.ci/run sets it; Scripts/start-test-postgres.sh starts a server)}"
venv=.venv-browser
[ -x "$venv/bin/python" ] || { echo "browser-workers-test: run Scripts/browser-test.sh first (it makes $venv)"; exit 1; }
database=tw_browser_workers_$$
psql "$TRADEWIND_TEST_POSTGRES_URL" -q -c "CREATE DATABASE $database"
url="${TRADEWIND_TEST_POSTGRES_URL%/*}/$database"
home=$(mktemp -d)
source Scripts/test-server.sh
start_test_server "$binary" "$home" --database "$url"
TRADEWIND_DATABASE="$url" "$binary" worker --home "$home" --name browser-worker --threads 1 2>"$home/worker.log" &
worker=$!
trap "kill $worker 2>/dev/null || true; kill \$(cat '$home/pid') 2>/dev/null || true" EXIT
status=0
"$venv/bin/python" Scripts/browser/status_workers_test.py --url "http://127.0.0.1:$port" --worker browser-worker \
    --shot "$home/status-workers.png" || status=$?
check_test_server "$home" || exit 1
[ $status -eq 0 ] || { echo "browser workers test failed; server and worker logs:"; tail -20 "$home/server.log" "$home/worker.log"; }
exit $status
