#!/usr/bin/env bash
# Runs the official Python SDK, alpaca-py (PyPI), as a real client of `tradewind exchange` replaying the bundled
# eqker minute sample with a manual clock: account, every order type, replace/cancel, bracket, positions, the
# trade_updates stream and paged historical bars (Scripts/alpaca_py_client.py); then, on a second exchange replaying a
# synthetic trades-and-quotes recording, StockDataStream's trades and quotes and the multi-symbol historical trades and
# quotes (Scripts/alpaca_py_ticks.py). Its own ignored venv.
# Usage: Scripts/alpaca-py.sh [path/to/tradewind]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/debug/tradewind}
venv=.venv-alpaca-py
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import alpaca" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q alpaca-py==0.44.0
fi
home=$(mktemp -d)
export APCA_API_KEY_ID=PKTRADEWINDCI APCA_API_SECRET_KEY=ci-secret-not-real
"$binary" exchange serve --data sample:eqker-1m --speed manual --port 0 --port-file "$home/port" 2>"$home/exchange.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do [ -s "$home/port" ] && break; sleep 0.1; done
port=$(cat "$home/port")
timeout 300 "$venv/bin/python" Scripts/alpaca_py_client.py "http://127.0.0.1:$port"
# Trades and quotes: a second exchange on a synthetic recording, from the 09:30 minute.
python3 Scripts/alpaca_py_ticks.py write "$home/ticks"
"$binary" exchange serve --data "$home/ticks" --from 2019-02-14 --speed manual --port 0 --port-file "$home/ticks-port" 2>"$home/ticks-exchange.log" &
ticks_pid=$!
trap 'kill $pid $ticks_pid 2>/dev/null || true; wait $pid $ticks_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do [ -s "$home/ticks-port" ] && break; sleep 0.1; done
timeout 120 "$venv/bin/python" Scripts/alpaca_py_ticks.py check "http://127.0.0.1:$(cat "$home/ticks-port")"
