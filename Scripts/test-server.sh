# Sourced by the scripts that test a real `tradewind serve` (schemathesis.sh, browser-test.sh):
# start_test_server BINARY HOME [SERVE FLAGS…] starts it on a free loopback port with HOME as its home and one worker
# (environment variables set before the call pass through; further flags go to `serve`), logs to HOME/server.log, stops it on exit, and sets `pid` and `port`.
# Its process id is also in HOME/pid, which a test that restarts the server updates (the exit trap reads it).
# check_test_server says whether it is still up (printing its log's tail when it is not).
start_test_server() {
    local binary=$1 home=$2
    shift 2
    "$binary" serve --home "$home" --port 0 --port-file "$home/port" --workers 1 "$@" 2>"$home/server.log" &
    pid=$!
    echo $pid >"$home/pid"
    trap "kill \$(cat '$home/pid') 2>/dev/null || true; wait $pid 2>/dev/null || true" EXIT
    for _ in $(seq 1 200); do [ -s "$home/port" ] && break; sleep 0.1; done
    port=$(cat "$home/port")
}

check_test_server() {
    if ! kill -0 "$(cat "$1/pid")" 2>/dev/null; then
        echo "the server died during the test:"; tail -50 "$1/server.log"; return 1
    fi
}
