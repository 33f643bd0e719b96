#!/usr/bin/env python3
"""vectorbt peer for `tradewind bench optimizer`: the sma-cross grid (fast < slow, windows LOW..HIGH) on one
series, as vectorbt's documentation shows it: MA.run_combs for the pairs, crossings for signals,
Portfolio.from_signals for the backtest (signals shifted one bar and filled at the open, all cash, percent fee),
Sharpe per column. Usage: vectorbt_sma_grid.py CSV(open,close; header) LOW HIGH FEE [next-open|close]
(close: no shift, filled at the signal bar's close, vectorbt's default)
-> one JSON line: {"combinations", "seconds" (wall, warm), "cpu" (process CPU), "best_fast", "best_slow",
"best_sharpe", "version"}. A first run on the first 300 bars compiles vectorbt's numba functions (not timed).
"""
import json, sys, time
import numpy as np
import pandas as pd
import vectorbt as vbt

path, low, high, fee = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
at_close = len(sys.argv) > 5 and sys.argv[5] == "close"
raw = np.loadtxt(path, delimiter=",", skiprows=1)
index = pd.date_range("2001-01-01", periods=len(raw), freq="D")
open_, close = pd.Series(raw[:, 0], index=index), pd.Series(raw[:, 1], index=index)

def grid(open_, close):
    fast, slow = vbt.MA.run_combs(close, window=np.arange(low, high + 1), r=2, short_names=["fast", "slow"])
    entries = fast.ma_crossed_above(slow)
    exits = fast.ma_crossed_below(slow)
    if at_close:
        # Decide and trade on the close (vectorbt's default price).
        pf = vbt.Portfolio.from_signals(close, entries, exits, fees=fee, init_cash=100_000, freq="1D")
        return pf.sharpe_ratio()
    # Decide on the close, trade at the next bar's open.
    entries = entries.shift(1, fill_value=False)
    exits = exits.shift(1, fill_value=False)
    pf = vbt.Portfolio.from_signals(close, entries, exits, price=open_, fees=fee, init_cash=100_000, freq="1D")
    return pf.sharpe_ratio()

grid(open_.iloc[:300], close.iloc[:300])  # warm-up: numba compilation
t0, c0 = time.perf_counter(), time.process_time()
sharpe = grid(open_, close)
dt, cpu = time.perf_counter() - t0, time.process_time() - c0
sharpe = sharpe.replace([np.inf, -np.inf], np.nan)
best = sharpe.idxmax()
print(json.dumps({"combinations": int(sharpe.size), "seconds": dt, "cpu": cpu, "best_fast": int(best[0]),
                  "best_slow": int(best[1]), "best_sharpe": float(sharpe.max()), "version": vbt.__version__}))
