#!/usr/bin/env bash
# The dashboard in a real browser: Selenium (PyPI, own venv) drives Debian's chromium + chromium-driver against a real
# `tradewind serve` on loopback with a temporary home, a user, and 10,000 results seeded through the store
# (`tradewind bench server --seed-only`). Every step checks the page's content and a non-blank screenshot, and fails
# on any JavaScript console error or request to another origin; it prints the speed figures (first load of the
# console, time to interactive, History sort/page over 10,000 results) as JSON.
# Usage: Scripts/browser-test.sh [path/to/tradewind] [--screenshots DIR]   (DIR receives console.png and result.png)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/debug/tradewind}
commit_shots=()
if [ "${2:-}" = "--screenshots" ]; then commit_shots=(--commit-shots "$3"); fi
for tool in chromium chromedriver; do
    command -v "$tool" >/dev/null || { echo "browser-test: $tool is missing (apt-get install chromium chromium-driver)"; exit 1; }
done
venv=.venv-browser
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import selenium, PIL" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q selenium==4.51.0 pillow==13.0.0
fi
home=$(mktemp -d)
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
"$binary" bench server --seed-only "$home/tradewind.sqlite" --results 10000 --trades 50
source Scripts/test-server.sh
TRADEWIND_ADMIN_USER=browser TRADEWIND_ADMIN_PASSWORD="$password" start_test_server "$binary" "$home"
# The browser runs in another zone than the exchange's, so the time-zone switch has something to switch to.
status=0
TZ=Europe/Berlin "$venv/bin/python" Scripts/browser/dashboard_test.py --url "http://127.0.0.1:$port" --user browser \
    --password "$password" --shots "$home/shots" --restart "$binary" "$home" "$port" "${commit_shots[@]}" || status=$?
check_test_server "$home" || exit 1
[ $status -eq 0 ] || { echo "browser test failed; server log:"; tail -30 "$home/server.log"; }
exit $status
