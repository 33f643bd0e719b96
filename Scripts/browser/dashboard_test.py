"""Drives the Tradewind dashboard in headless Chromium (Selenium + Debian's chromium-driver) against a real
`tradewind serve` on loopback: every step checks the page's content, takes a screenshot that must not be blank, and
fails on any JavaScript console error or any request to another origin. Prints the speed figures as JSON.

Usage: dashboard_test.py --url http://127.0.0.1:PORT --user U --password P --shots DIR [--commit-shots docs/screenshots]
"""
import argparse
import base64
import io
import json
import os
import signal
import statistics
import subprocess
import sys
import time

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

ap = argparse.ArgumentParser()
ap.add_argument("--url", required=True)
ap.add_argument("--user", required=True)
ap.add_argument("--password", required=True)
ap.add_argument("--shots", required=True)
ap.add_argument("--commit-shots")
ap.add_argument("--restart", nargs=3, metavar=("BINARY", "HOME", "PORT"),
                help="restart the server (its pid in HOME/pid) on PORT to test the lost connection and the reconnect")
ap.add_argument("--figures")
ap.add_argument("--chromium", default="/usr/bin/chromium")
ap.add_argument("--driver", default="/usr/bin/chromedriver")
args = ap.parse_args()
base = args.url.rstrip("/")
origin_http, origin_ws = base, base.replace("http://", "ws://")
downloads = os.path.join(args.shots, "downloads")
os.makedirs(downloads, exist_ok=True)

options = webdriver.ChromeOptions()
options.binary_location = args.chromium
for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000",
             "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-default-apps", "--disable-extensions", "--disable-features=Translate,OptimizationHints,MediaRouter"]:
    options.add_argument(flag)
options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
options.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False})
driver = webdriver.Chrome(service=Service(args.driver), options=options)
driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
driver.execute_cdp_cmd("Network.enable", {})
# Views replace their elements as they update: a wait retries a stale or not-yet-drawn element.
RETRY = [StaleElementReferenceException, NoSuchElementException]
wait = WebDriverWait(driver, 30, poll_frequency=0.05, ignored_exceptions=RETRY)
figures = {}
steps = []
allowed_network_errors = set()


def fail(message):
    print("FAIL:", message, file=sys.stderr)
    try:
        driver.save_screenshot(os.path.join(args.shots, "failure.png"))
        print(driver.find_element(By.TAG_NAME, "main").text[:2000], file=sys.stderr)
    finally:
        driver.quit()
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def audit(step):
    """Every console message of level SEVERE is an error; every request must go to the server's own origin."""
    for entry in driver.get_log("browser"):
        if entry["level"] == "SEVERE" and not any(a in entry["message"] for a in allowed_network_errors):
            fail(f"{step}: console error: {entry['message']}")
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") != "Network.requestWillBeSent":
            continue
        url = message["params"]["request"]["url"]
        if not (url.startswith(origin_http + "/") or url.startswith(origin_ws + "/") or url.startswith("blob:" + origin_http)
                or url.startswith("data:") or url == origin_http):
            fail(f"{step}: request to another origin: {url}")


def shot(name, commit=None):
    png = driver.get_screenshot_as_png()
    image = Image.open(io.BytesIO(png)).convert("RGB")
    small = image.resize((image.width // 4, image.height // 4))
    colours = small.getcolors(small.width * small.height)
    top = max(colours)[0]
    varied = 1 - top / (small.width * small.height)
    check(len(colours) > 20 and varied > 0.03, f"screenshot {name} looks blank ({len(colours)} colours, {varied:.1%} off the background)")
    with open(os.path.join(args.shots, name + ".png"), "wb") as f:
        f.write(png)
    if commit and args.commit_shots:
        os.makedirs(args.commit_shots, exist_ok=True)
        with open(os.path.join(args.commit_shots, commit + ".png"), "wb") as f:
            f.write(png)


def step(name, commit=None):
    audit(name)
    shot(name, commit)
    steps.append(name)
    print("ok:", name, flush=True)


def view_ready(view):
    wait.until(lambda d: d.execute_script(
        "const m=document.getElementById('view');return m.dataset.view===arguments[0]&&m.getAttribute('aria-busy')==='false'", view))


def text(css):
    """The element's visible text, read in one script call (views replace their elements as they update)."""
    return driver.execute_script("const e = document.querySelector(arguments[0]); return e ? e.innerText : ''", css)


def js(script, *a):
    return driver.execute_script(script, *a)


# 1. First load, not logged in: the login view, keeping the console's URL to come back to.
driver.get(base + "/console")
wait.until(lambda d: "/login" in d.current_url)
view_ready("login")
check("next=%2Fconsole" in driver.current_url, f"login did not keep the view: {driver.current_url}")
check("Log in" in text("main"), "no login form")
step("login")

# 2. Log in with the keyboard: back at the console.
driver.find_element(By.ID, "login-user").send_keys(args.user)
driver.find_element(By.ID, "login-password").send_keys(args.password + Keys.ENTER)
wait.until(lambda d: d.current_url.endswith("/console"))
view_ready("console")
check(driver.find_element(By.ID, "strategy").get_attribute("value") == "sma-cross", "the console's form has no strategy")
wait.until(lambda d: "live" in d.find_element(By.ID, "connection").get_attribute("class"))
step("console-logged-in")

# 3. First load of the console (cache cleared): bytes transferred and time to interactive.
driver.execute_cdp_cmd("Network.clearBrowserCache", {})
driver.get(base + "/console")
view_ready("console")
load = js("""
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const mark = performance.getEntriesByName('tw-interactive')[0];
  return {bytes: nav.transferSize + res.reduce((s, r) => s + r.transferSize, 0), files: res.length + 1,
          decoded: nav.decodedBodySize + res.reduce((s, r) => s + r.decodedBodySize, 0),
          interactive_ms: mark ? mark.startTime : null, dom_content_loaded_ms: nav.domContentLoadedEventEnd};""")
figures["console_first_load_bytes"] = load["bytes"]
figures["console_first_load_files"] = load["files"]
figures["console_interactive_ms"] = round(load["interactive_ms"], 1)
check(load["bytes"] <= 200 * 1024, f"first load of the console transferred {load['bytes']} bytes (> 200 KB)")
check(load["interactive_ms"] is not None and load["interactive_ms"] <= 1000, f"console interactive after {load['interactive_ms']} ms (> 1 s)")
step("console-first-load")

# 4. Keyboard navigation of the console form: Tab walks the fields in order; invalid input is shown before submit.
js("document.getElementById('data').focus()")
order = []
for _ in range(60):
    order.append(js("return document.activeElement.id || document.activeElement.tagName"))
    if order[-1] == "start":
        break
    webdriver.ActionChains(driver).send_keys(Keys.TAB).perform()
for expected in ["data", "symbol-mode", "symbols", "strategy", "kind", "p-fast-mode", "p-fast", "p-slow-mode", "p-slow", "method",
                 "objective", "minimize", "cash", "commission", "fill", "start"]:
    check(expected in order, f"Tab never reached #{expected}: {order}")
check(order.index("data") < order.index("strategy") < order.index("p-fast") < order.index("method") < order.index("start"),
      f"Tab order is not the form's order: {order}")
fast = driver.find_element(By.ID, "p-fast")
fast.clear()
fast.send_keys("0")
check("expected an integer in" in text("#p-fast-error") and fast.get_attribute("aria-invalid") == "true",
      "an out-of-range parameter is not flagged before submit")
fast.send_keys(Keys.BACKSPACE + "10")
check(text("#p-fast-error") == "", "the fixed parameter is still flagged")
figures["console_tab_stops"] = len(order)
step("console-keyboard")

# 5. Start an optimization on bundled data, from the keyboard; watch progress reach 100 %.
Select(driver.find_element(By.ID, "data")).select_by_value("sample:sp500-50")
symbols = driver.find_element(By.ID, "symbols")
symbols.clear()
symbols.send_keys("AAPL, MSFT, AMD")
for name, lo, hi, st in [("fast", "5", "20", "5"), ("slow", "30", "90", "10")]:
    mode = driver.find_element(By.ID, f"p-{name}-mode")
    mode.send_keys("r")  # keyboard selection of "range"
    check(mode.get_attribute("value") == "range", f"keyboard did not choose range for {name}")
    for part, value in [("start", lo), ("stop", hi), ("step", st)]:
        e = driver.find_element(By.ID, f"p-{name}-{part}")
        e.clear()
        e.send_keys(value)
Select(driver.find_element(By.ID, "method")).select_by_value("grid")
driver.find_element(By.ID, "start").send_keys(Keys.ENTER)
wait.until(lambda d: "job=" in d.current_url)
job_a = int(driver.current_url.split("job=")[1])
WebDriverWait(driver, 180, poll_frequency=0.1, ignored_exceptions=RETRY).until(
    lambda d: d.find_element(By.ID, "progress-panel").get_attribute("data-status") in ("succeeded", "failed", "cancelled"))
check(driver.find_element(By.ID, "progress-panel").get_attribute("data-status") == "succeeded", f"job {job_a} did not succeed: {text('#progress-panel')}")
check(text("#progress-percent") == "100 %", f"progress ended at {text('#progress-percent')}")
wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#symbol-table tbody tr")) == 3)
check("result" in text("#symbol-table"), "the finished symbols link no results")
check("AAPL" in text("#job-log") or "symbol" in text("#job-log").lower(), "the live log is empty")
js("window.scrollTo(0, 0)")
step("console-job-finished", commit="console")

# 6. History: find the result, sort by Sharpe, open it.
driver.find_element(By.CSS_SELECTOR, 'nav a[href="/history"]').click()
view_ready("history")
wait.until(lambda d: d.find_element(By.ID, "view").get_attribute("data-loaded"))
check("of 10,0" in text("#page-info"), f"the seeded history is not there: {text('#page-info')}")
search = driver.find_element(By.ID, "history-symbol")
before = driver.find_element(By.ID, "view").get_attribute("data-loaded")
search.send_keys("AAPL")
wait.until(lambda d: d.find_element(By.ID, "view").get_attribute("data-loaded") != before and "AAPL" in d.current_url)
wait.until(lambda d: {c.text for c in d.find_elements(By.CSS_SELECTOR, "#history-results tbody td:nth-child(3)")} == {"AAPL"})
check("sma-cross" in text("#history-results"), "the new result is not in the history")
step("history-search")


def sharpe_column():
    return [c.text for c in driver.find_elements(By.CSS_SELECTOR, "#history-results tbody tr td:nth-child(7)")]


def click_and_time(css):
    before = driver.find_element(By.ID, "view").get_attribute("data-loaded")
    element = driver.find_element(By.CSS_SELECTOR, css)
    js("arguments[0].scrollIntoView({block: 'center'})", element)
    t0 = time.perf_counter()
    element.click()
    wait.until(lambda d: d.find_element(By.ID, "view").get_attribute("data-loaded") != before)
    wall = (time.perf_counter() - t0) * 1000
    return wall, float(driver.find_element(By.ID, "view").get_attribute("data-load-ms"))


# 7. History with the 10,000 seeded results: sort by Sharpe and page, server-side.
search.send_keys(Keys.CONTROL, "a")
search.send_keys(Keys.DELETE)
wait.until(lambda d: "of 10,0" in text("#page-info"))
timings, walls = [], []
wall, ms = click_and_time('th button[data-sort="sharpe"]')
walls.append(wall); timings.append(ms)
check("sort=sharpe" in driver.current_url, "sorting is not in the URL")
values = [float(v.replace(",", "")) for v in sharpe_column() if v != "—"]
check(len(values) == 50 and values == sorted(values, reverse=True), f"not sorted by Sharpe, descending: {values[:5]}")
for _ in range(5):
    wall, ms = click_and_time("#page-next")
    walls.append(wall); timings.append(ms)
check("page 6 of" in text("#page-info") and "page=6" in driver.current_url, f"paging: {text('#page-info')}")
page6 = [float(v.replace(",", "")) for v in sharpe_column() if v != "—"]
check(page6 == sorted(page6, reverse=True) and page6[0] <= values[-1], "page 6 does not continue the sort")
wall, ms = click_and_time('th button[data-sort="max_drawdown"]')
walls.append(wall); timings.append(ms)
figures["history_results"] = int(text("#page-info").split(" of ")[1].split(" ")[0].replace(",", ""))
figures["history_sort_page_ms_median"] = round(statistics.median(timings), 1)
figures["history_sort_page_ms_max"] = round(max(timings), 1)
figures["history_click_to_rendered_ms_max"] = round(max(walls), 1)
check(max(walls) < 1000, f"sorting or paging 10,000 results took {max(walls):.0f} ms from click to table")
# Reload keeps the view and its state.
driver.refresh()
view_ready("history")
check("max_drawdown" == driver.find_element(By.ID, "history-sort").get_attribute("value"), "reload lost the sort")
step("history-10000")

# 8. The result: metric cards, charts, chronological trade log; download its report.
driver.get(base + "/history?symbol=AAPL&sort=sharpe")
view_ready("history")
wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#history-results tbody tr"))
driver.find_element(By.CSS_SELECTOR, "#history-results tbody tr td a").click()
view_ready("result")
check("/results/" in driver.current_url, "the result has no URL of its own")
check("Sharpe" in text("#metric-cards") and "Win rate" in text("#metric-cards"), "no metric cards")
rows = driver.find_elements(By.CSS_SELECTOR, "#trade-table tbody tr")
check(len(rows) > 0, "the trade log is empty")
entries = [r.find_elements(By.TAG_NAME, "td")[3].text for r in rows]
check(entries == sorted(entries), "the trade log is not chronological")
wait.until(lambda d: d.find_element(By.ID, "result-charts").get_attribute("data-ready") == "true")
svgs = driver.find_elements(By.CSS_SELECTOR, "#result-charts svg")
check(len(svgs) >= 4, f"{len(svgs)} charts on the result page")
check(driver.find_elements(By.CSS_SELECTOR, "#result-charts #heatmap svg"), "no objective heatmap")
# Zoom: Ctrl + wheel over a chart narrows its viewBox around the pointer (a plain wheel scrolls the page); a drag pans
# the zoomed chart; a double-click restores it.
chart = driver.find_element(By.CSS_SELECTOR, "#result-charts svg.tw-chart")
js("arguments[0].scrollIntoView({block: 'center'})", chart)
def view_box():
    return js("return arguments[0].getAttribute('viewBox')", chart)
full = view_box()
check(full is not None, "the chart has no viewBox")
zoom = ("var s=arguments[0],r=s.getBoundingClientRect();for(var i=0;i<arguments[1];i++)s.dispatchEvent(new WheelEvent('wheel',"
        "{deltaY:-100,ctrlKey:arguments[2],clientX:r.left+r.width/2,clientY:r.top+r.height/2,bubbles:true,cancelable:true}));")
js(zoom, chart, 3, False)
check(view_box() == full, "a plain wheel zoomed the chart instead of scrolling the page")
js(zoom, chart, 3, True)
zoomed = [float(v) for v in view_box().split()]
whole = [float(v) for v in full.split()]
check(abs(zoomed[2] - whole[2] * 0.512) < 0.5, f"Ctrl + wheel did not zoom the chart 0.8^3: {full} -> {zoomed}")
ActionChains(driver).move_to_element(chart).click_and_hold().move_by_offset(-60, 0).release().perform()
panned = [float(v) for v in view_box().split()]
check(panned[0] > zoomed[0] and abs(panned[2] - zoomed[2]) < 1e-3, f"dragging the zoomed chart did not pan it: {zoomed} -> {panned}")
ActionChains(driver).double_click(chart).perform()
check([float(v) for v in view_box().split()] == whole, "a double-click did not restore the chart")
driver.find_element(By.ID, "download-html").click()
wait.until(lambda d: any(f.endswith(".html") for f in os.listdir(downloads)))
report = open(os.path.join(downloads, [f for f in os.listdir(downloads) if f.endswith(".html")][0])).read()
check("<svg" in report and "sma-cross" in report, "the downloaded report has no charts")
driver.find_element(By.ID, "download-pdf").click()
WebDriverWait(driver, 120, poll_frequency=0.2).until(lambda d: any(f.endswith(".pdf") for f in os.listdir(downloads)))
pdf = os.path.join(downloads, [f for f in os.listdir(downloads) if f.endswith(".pdf")][0])
check(open(pdf, "rb").read(5) == b"%PDF-", "the downloaded PDF report is not a PDF")
js("window.scrollTo(0, 0)")
step("result", commit="result")

# 9. Backtest again with these parameters: the console, prefilled.
driver.find_element(By.ID, "backtest-again").click()
view_ready("console")
check(driver.find_element(By.ID, "kind").get_attribute("value") == "backtest", "not a backtest")
check(driver.find_element(By.ID, "symbols").get_attribute("value") == "AAPL", "symbols not prefilled")
step("backtest-again")

# 10. Reload during a running job: progress continues; then cancel it.
Select(driver.find_element(By.ID, "kind")).select_by_value("optimize")
Select(driver.find_element(By.ID, "symbol-mode")).select_by_value("all")
Select(driver.find_element(By.ID, "method")).select_by_value("tpe")
trials = driver.find_element(By.ID, "trials")
trials.clear()
trials.send_keys("150")
for name in ["fast", "slow"]:
    Select(driver.find_element(By.ID, f"p-{name}-mode")).select_by_value("range")
driver.find_element(By.ID, "start").click()
wait.until(lambda d: "job=" in d.current_url)
job_b = int(driver.current_url.split("job=")[1])


def percent():
    return int(driver.find_element(By.ID, "progress-percent").text.split(" ")[0])


WebDriverWait(driver, 120, poll_frequency=0.1, ignored_exceptions=RETRY).until(lambda d: percent() >= 2)
before_reload = percent()
driver.refresh()
view_ready("console")
check(driver.find_element(By.ID, "progress-panel").is_displayed(), "reload lost the job")
wait.until(lambda d: percent() >= before_reload)
after_reload = percent()
WebDriverWait(driver, 120, poll_frequency=0.1, ignored_exceptions=RETRY).until(lambda d: percent() > after_reload)
check(driver.find_element(By.ID, "progress-panel").get_attribute("data-status") == "running", "the job is not running after the reload")
figures["reload_progress_percent"] = [before_reload, after_reload, percent()]
step("console-reload-running")
driver.find_element(By.ID, "cancel").click()
WebDriverWait(driver, 60, poll_frequency=0.1, ignored_exceptions=RETRY).until(
    lambda d: d.find_element(By.ID, "progress-panel").get_attribute("data-status") == "cancelled")
step("console-cancelled")

# 11. Logs: jobs with durations, expandable per-symbol details.
driver.get(base + f"/logs/{job_a}")
view_ready("logs")
wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, f"#job-{job_a}-details table tbody tr"))
check(len(driver.find_elements(By.CSS_SELECTOR, f"#job-{job_a}-details table tbody tr")) == 3, "job details lack symbols")
check("duration" in text(f'[data-job="{job_a}"]') and "cancelled" in text("#jobs"), "the job list lacks durations or the cancelled job")
toggle = driver.find_element(By.CSS_SELECTOR, f'[data-job="{job_b}"] button.expand')
toggle.send_keys(Keys.ENTER)
check(toggle.get_attribute("aria-expanded") == "true", "the job does not expand from the keyboard")
step("logs")

# 12. Trade journal: log a trade, close it, read the analytics.
driver.find_element(By.CSS_SELECTOR, 'nav a[href="/journal"]').click()
view_ready("journal")
driver.find_element(By.ID, "j-symbol").send_keys("SPY")
driver.find_element(By.ID, "j-price").send_keys("400" + Keys.ENTER)
wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#open-table tbody tr"))
driver.find_element(By.CSS_SELECTOR, "#open-table input").send_keys("410" + Keys.ENTER)
wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#closed-table tbody tr"))
check("100.00" in text("#journal-analytics") and "SPY" in text("#pnl-by-symbol"), f"analytics: {text('#journal-analytics')[:200]}")
check(driver.find_elements(By.CSS_SELECTOR, "#journal-chart svg"), "no P&L chart in the journal")
step("journal")

# 13. Strategies: a version chain; activate one.
driver.find_element(By.CSS_SELECTOR, 'nav a[href="/strategies"]').click()
view_ready("strategies")
Select(driver.find_element(By.ID, "s-strategy")).select_by_value("sma-cross")
driver.find_element(By.ID, "s-params").send_keys("fast=10 slow=30" + Keys.ENTER)
wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-version]"))
Select(driver.find_element(By.ID, "s-parent")).select_by_index(1)
wait.until(lambda d: d.find_element(By.ID, "s-params").get_attribute("value"))
params = driver.find_element(By.ID, "s-params")
params.clear()
params.send_keys("fast=12 slow=30" + Keys.ENTER)
wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "[data-version]")) == 2)
check("(from #1)" in text("#versions"), "the second version does not name its parent")
driver.find_element(By.CSS_SELECTOR, '[data-version="2"] button.activate').click()
wait.until(lambda d: "active" in d.find_element(By.CSS_SELECTOR, '[data-version="2"]').text)
step("strategies")

# 14. Status: health, CPU, memory, queue, bots, and the workers' place (absent on this server: no request, no error).
driver.find_element(By.CSS_SELECTOR, 'nav a[href="/status"]').click()
view_ready("status")
check("ok" in text("#health") and "Memory" in text("#health"), "no health")
wait.until(lambda d: "%" in d.find_element(By.CSS_SELECTOR, '#health [data-key="cpu"]').text)
check(driver.find_elements(By.ID, "workers-absent") or driver.find_elements(By.ID, "workers-table")
      or "No workers" in text("#workers"), "the workers' place is missing")
step("status")

# 14b. The server restarts: the lost connection is shown, the page reconnects and resubscribes by itself, and the
# Status view goes on refreshing. (The refused requests while it is down are expected; nothing else may fail.)
if args.restart:
    binary, home, port = args.restart
    pid = int(open(os.path.join(home, "pid")).read())
    os.kill(pid, signal.SIGTERM)
    for _ in range(200):
        if not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split()[2] == "Z":
            break
        time.sleep(0.05)
    allowed_network_errors.update(["ERR_CONNECTION_REFUSED", "WebSocket connection to", "Failed to fetch"])
    wait.until(lambda d: "lost" in d.find_element(By.ID, "connection").get_attribute("class"))
    check("connection lost" in text("#connection"), "the lost connection is not said")
    step("connection-lost")
    server = subprocess.Popen([binary, "serve", "--home", home, "--port", port, "--workers", "1"],
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(home, "server.log"), "a"), start_new_session=True)
    with open(os.path.join(home, "pid"), "w") as f:
        f.write(str(server.pid))
    WebDriverWait(driver, 60, poll_frequency=0.1, ignored_exceptions=RETRY).until(
        lambda d: "live" in d.find_element(By.ID, "connection").get_attribute("class"))
    uptime = text('#health')
    wait.until(lambda d: text("#health") != uptime and "ok" in text("#health"))
    audit("reconnect (outage)")
    allowed_network_errors.clear()
    step("reconnected")

# 15. Theme and time zone switches.
driver.find_element(By.ID, "theme-switch").click()
check(js("return document.documentElement.dataset.theme") == "light", "no light theme")
driver.find_element(By.ID, "zone-switch").click()
check(text("#zone-switch") != "Times: New York", "the zone switch did not change")
step("status-light")
driver.find_element(By.ID, "theme-switch").click()
driver.find_element(By.ID, "zone-switch").click()

# 15b. Usable at 700 px: no view is wider than the window (wide tables scroll inside their panels).
driver.set_window_size(700, 1000)
for path, view in [("/console", "console"), ("/history", "history"), ("/status", "status"), ("/journal", "journal")]:
    driver.get(base + path)
    view_ready(view)
    overflow = js("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    check(overflow <= 0, f"{path} is {overflow} px wider than a 700 px window")
step("narrow-700px")
driver.set_window_size(1280, 1000)

# 16. An expired session sends you to the login and back to the same view.
driver.get(base + "/history?symbol=AAPL")
view_ready("history")
header = base64.urlsafe_b64encode(b'{"alg":"HS256"}').decode().rstrip("=")
payload = base64.urlsafe_b64encode(json.dumps({"exp": int(time.time()) - 60}).encode()).decode().rstrip("=")
js("localStorage.setItem('tw.access', arguments[0]); localStorage.removeItem('tw.refresh');", f"{header}.{payload}.x")
driver.find_element(By.ID, "history-symbol").send_keys("L")
wait.until(lambda d: "/login" in d.current_url)
check("next=%2Fhistory" in driver.current_url, f"expiry lost the view: {driver.current_url}")
driver.find_element(By.ID, "login-user").send_keys(args.user)
driver.find_element(By.ID, "login-password").send_keys(args.password + Keys.ENTER)
wait.until(lambda d: "/history" in d.current_url)
view_ready("history")
check("symbol=AAPL" in driver.current_url, f"the view's state was lost: {driver.current_url}")
step("expired-login")

# 17. Delete a result with its confirmation, then log out.
driver.get(base + "/history?symbol=MSFT")
view_ready("history")
wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#history-results tbody tr button.delete"))
rows_before = text("#page-info")
driver.find_element(By.CSS_SELECTOR, "#history-results tbody tr button.delete").click()
wait.until(lambda d: d.find_element(By.ID, "confirm").get_attribute("open") is not None)
driver.find_element(By.ID, "confirm-ok").click()
wait.until(lambda d: text("#page-info") != rows_before)
check("0 of 0" in text("#page-info") or "of 0" in text("#page-info"), f"the result was not deleted: {text('#page-info')}")
driver.find_element(By.ID, "logout").click()
wait.until(lambda d: "/login" in d.current_url)
step("logout")

audit("end")
driver.quit()
figures["steps"] = len(steps)
out = json.dumps(figures, indent=1)
print(out)
if args.figures:
    with open(args.figures, "w") as f:
        f.write(out + "\n")
