#!/usr/bin/env bash
# Runs schemathesis (PyPI) against a real `tradewind serve` over every operation of the committed OpenAPI document:
# no 5xx, and every response's status, content type and body as the document says. Bounded (few examples per
# operation) so it takes about a minute. Usage: Scripts/schemathesis.sh [path/to/tradewind]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/debug/tradewind}
venv=.venv-schemathesis
if [ ! -x "$venv/bin/st" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q schemathesis==4.32.5
fi
home=$(mktemp -d)
"$binary" serve --home "$home" --port 0 --port-file "$home/port" --workers 1 2>"$home/server.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do [ -s "$home/port" ] && break; sleep 0.1; done
port=$(cat "$home/port")
status=0
"$venv/bin/st" run "http://127.0.0.1:$port/api/openapi.json" --url "http://127.0.0.1:$port" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --phases examples,coverage,fuzzing --max-examples 5 --seed 1 --workers 2 || status=$?
if ! kill -0 $pid 2>/dev/null; then
    echo "the server died during schemathesis:"; tail -50 "$home/server.log"; exit 1
fi
exit $status
