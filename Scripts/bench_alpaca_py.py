"""alpaca-py's historical bars download from `tradewind exchange`, for `tradewind bench alpaca`.

Usage: bench_alpaca_py.py BASE_URL KEY SECRET START END BATCH SYMBOL... ; prints "BARS SECONDS" (wall time of the
calls, the client's own paging and model building included, as a user of the SDK gets them). The symbols are asked
for BATCH at a time, one `get_stock_bars` call per batch, each batch's result dropped before the next: alpaca-py
holds a call's whole answer as pydantic models, and 372 symbols x one year of minutes in one call would not fit in
memory.
"""
import sys
import time
from datetime import datetime

from alpaca.data.historical import StockHistoricalDataClient
from alpaca.data.requests import StockBarsRequest
from alpaca.data.timeframe import TimeFrame

base, key, secret, start, end, batch, *symbols = sys.argv[1:]
batch = max(1, int(batch))
client = StockHistoricalDataClient(key, secret, url_override=base)
begin = datetime.fromisoformat(start.replace("Z", "+00:00"))
finish = datetime.fromisoformat(end.replace("Z", "+00:00"))
count = 0
t0 = time.perf_counter()
for i in range(0, len(symbols), batch):
    bars = client.get_stock_bars(StockBarsRequest(symbol_or_symbols=symbols[i:i + batch], timeframe=TimeFrame.Minute,
                                                  start=begin, end=finish))
    count += sum(len(v) for v in bars.data.values())
    del bars
seconds = time.perf_counter() - t0
print(count, f"{seconds:.3f}")
