"""The dashboard's Status view lists `tradewind worker` processes (name, host, threads, state, current task, heartbeat
age) of a server on PostgreSQL, with no console error. Run by Scripts/browser-workers-test.sh."""
import argparse
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ap = argparse.ArgumentParser()
ap.add_argument("--url", required=True)
ap.add_argument("--worker", required=True)
ap.add_argument("--shot", required=True)
args = ap.parse_args()

options = webdriver.ChromeOptions()
for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"]:
    options.add_argument(a)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.get(args.url + "/status")
    WebDriverWait(driver, 30, poll_frequency=0.2).until(
        lambda d: args.worker in (d.find_element(By.ID, "workers").text if d.find_elements(By.ID, "workers") else ""))
    table = driver.find_element(By.ID, "workers-table")
    headers = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    for expected in ["Name", "Host", "Threads", "State", "Current task", "Heartbeat age"]:
        if expected not in headers:
            sys.exit(f"FAIL: the workers table has no '{expected}' column: {headers}")
    row = [td.text for td in table.find_elements(By.CSS_SELECTOR, "tbody tr")[0].find_elements(By.TAG_NAME, "td")]
    cells = dict(zip(headers, row))
    if cells["Name"] != args.worker or cells["Threads"] != "1" or cells["State"] not in ("idle", "busy"):
        sys.exit(f"FAIL: the worker's row is wrong: {cells}")
    if not cells["Heartbeat age"].endswith(" s"):
        sys.exit(f"FAIL: no heartbeat age: {cells}")
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    if errors:
        sys.exit(f"FAIL: console errors: {errors}")
    driver.save_screenshot(args.shot)
    print(f"ok: the Status view lists worker {args.worker}: {cells}")
finally:
    driver.quit()
