"""alpaca-py's historical bars download from `tradewind exchange`, for `tradewind bench alpaca`.

Usage: bench_alpaca_py.py BASE_URL KEY SECRET START END SYMBOL... ; prints "BARS SECONDS" (wall time of the call,
the client's own paging and model building included, as a user of the SDK gets them).
"""
import sys
import time
from datetime import datetime

from alpaca.data.historical import StockHistoricalDataClient
from alpaca.data.requests import StockBarsRequest
from alpaca.data.timeframe import TimeFrame

base, key, secret, start, end, *symbols = sys.argv[1:]
client = StockHistoricalDataClient(key, secret, url_override=base)
t0 = time.perf_counter()
bars = client.get_stock_bars(StockBarsRequest(symbol_or_symbols=symbols, timeframe=TimeFrame.Minute,
                                              start=datetime.fromisoformat(start.replace("Z", "+00:00")),
                                              end=datetime.fromisoformat(end.replace("Z", "+00:00"))))
seconds = time.perf_counter() - t0
print(sum(len(v) for v in bars.data.values()), f"{seconds:.3f}")
