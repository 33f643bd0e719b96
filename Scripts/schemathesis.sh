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
source Scripts/test-server.sh
start_test_server "$binary" "$home"
status=0
"$venv/bin/st" run "http://127.0.0.1:$port/api/openapi.json" --url "http://127.0.0.1:$port" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --phases examples,coverage,fuzzing --max-examples 5 --seed 1 --workers 2 || status=$?
check_test_server "$home" || exit 1
exit $status
