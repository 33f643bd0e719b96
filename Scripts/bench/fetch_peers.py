"""The Python clients users would use to download many symbols' minute bars, for `tradewind bench fetch`.

Usage: fetch_peers.py requests|alpaca-py BASE_URL KEY SECRET START END THREADS SYMBOLS_FILE
Prints "BARS SECONDS PEAK_RSS_BYTES". Both download every symbol of SYMBOLS_FILE over [START, END] (RFC 3339) from
the Alpaca-compatible server at BASE_URL with a pool of THREADS threads, one symbol per task, and keep only the count
of each symbol's bars (no whole-universe buffering, as Tradewind's fetch does not buffer either):
- requests: a requests.Session per thread (keep-alive), GET /v2/stocks/{symbol}/bars with limit=10000 and
  next_page_token paging, json decoding of each page (the fastest plain Python client);
- alpaca-py: a StockHistoricalDataClient per thread (url_override=BASE_URL), get_stock_bars per symbol (its own
  paging and Bar models, as a user of the SDK gets them).
"""
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

mode, base, key, secret, start, end, threads, symbols_file = sys.argv[1:]
symbols = [s.strip() for s in open(symbols_file) if s.strip()]
local = threading.local()


def with_requests(symbol):
    import requests
    if not hasattr(local, "session"):
        local.session = requests.Session()
        local.session.headers.update({"APCA-API-KEY-ID": key, "APCA-API-SECRET-KEY": secret})
    params = {"timeframe": "1Min", "start": start, "end": end, "limit": 10000, "adjustment": "raw", "sort": "asc"}
    count = 0
    while True:
        r = local.session.get(f"{base}/v2/stocks/{symbol}/bars", params=params, timeout=120)
        r.raise_for_status()
        page = r.json()
        count += len(page.get("bars") or [])
        token = page.get("next_page_token")
        if not token:
            return count
        params["page_token"] = token


def with_alpaca_py(symbol):
    from alpaca.data.historical import StockHistoricalDataClient
    from alpaca.data.requests import StockBarsRequest
    from alpaca.data.timeframe import TimeFrame
    if not hasattr(local, "client"):
        local.client = StockHistoricalDataClient(key, secret, url_override=base)
    bars = local.client.get_stock_bars(StockBarsRequest(
        symbol_or_symbols=symbol, timeframe=TimeFrame.Minute,
        start=datetime.fromisoformat(start.replace("Z", "+00:00")), end=datetime.fromisoformat(end.replace("Z", "+00:00"))))
    return sum(len(v) for v in bars.data.values())


work = {"requests": with_requests, "alpaca-py": with_alpaca_py}[mode]
t0 = time.perf_counter()
with ThreadPoolExecutor(max_workers=int(threads)) as pool:
    total = sum(pool.map(work, symbols))
seconds = time.perf_counter() - t0
# VmHWM: this process's own peak (ru_maxrss would carry the parent's peak across the exec).
peak = next(int(line.split()[1]) * 1024 for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(total, f"{seconds:.3f}", peak)
