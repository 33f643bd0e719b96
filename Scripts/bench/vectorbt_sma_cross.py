#!/usr/bin/env python3
"""vectorbt peer of `tradewind bench engines`: sma-cross FAST/SLOW, long-only, all-in, no costs, on the bars of a
case directory written by Tradewind (see peer_bars.py), as vectorbt's documentation shows it: vbt.MA.run for both
averages, ma_crossed_above/below for the signals, Portfolio.from_signals for the backtest. Fill convention: the
signals are shifted one bar and filled at that bar's open (price=open), all available cash (size=inf, fractional
shares), as Tradewind's next-bar-open fills. Several symbols: one column each, NaN where a symbol has no bar,
cash shared by the group, each entry sized to 1/N of the group's value (Tradewind's equityFraction(1/N)): that
sizing needs Portfolio.from_orders (size_type=targetpercent; from_signals sizes only by amount, value or percent of
cash), with the same shifted signals and open prices, sells first (call_seq=auto).

Timing: the whole of MA.run + crossings + from_signals + final value and trade count. COLD is the first call in a
fresh process (numba compiles vectorbt's functions then: the import itself is not included); WARM is the best of
RUNS calls after it. Wall clock (perf_counter) and process CPU time (process_time) are both reported.
usage: vectorbt_sma_cross.py CASE_DIR FAST SLOW RUNS -> one JSON line.
"""
import sys
import time
import warnings

warnings.filterwarnings("ignore")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import vectorbt as vbt  # noqa: E402

import peer_bars  # noqa: E402


def build(case_dir):
    series, interval = peer_bars.load(case_dir)
    opens, closes = {}, {}
    for sym, t, o, h, l, c, v in series:
        # tz-naive UTC: a tz-aware index costs vectorbt ~3 µs per bar in shape checks (object arrays).
        idx = pd.to_datetime(t, unit="ns")
        opens[sym] = pd.Series(o, index=idx)
        closes[sym] = pd.Series(c, index=idx)
    if len(series) == 1:
        sym = series[0][0]
        return opens[sym], closes[sym], interval, sum(len(s[1]) for s in series)
    return pd.DataFrame(opens), pd.DataFrame(closes), interval, sum(len(s[1]) for s in series)


def run(open_, close, fast, slow, freq, lag=1, fill="open", granularity=None):
    """lag 1 + open: Tradewind's convention (timed). The untimed convention checks: lag 0 + close (NautilusTrader's
    signal-bar close), lag 1 + close (zipline's next-bar close), whole shares (granularity 1)."""
    multi = isinstance(close, pd.DataFrame)
    price = open_ if fill == "open" else close
    f = vbt.MA.run(close, fast, short_name="fast")
    s = vbt.MA.run(close, slow, short_name="slow")
    entries = f.ma_crossed_above(s)
    exits = f.ma_crossed_below(s)
    # Decide on the close, trade at the next bar's open.
    if lag:
        entries = entries.shift(lag, fill_value=False)
        exits = exits.shift(lag, fill_value=False)
    if multi:
        # from_signals sizes only by amount, value or percent of cash; 1/N of the group's value (Tradewind's
        # equityFraction) is from_orders with targetpercent: 1/N on an entry bar, 0 on an exit bar, NaN = no order.
        n = close.shape[1]
        size = np.where(entries.values, 1.0 / n, np.where(exits.values, 0.0, np.nan))
        pf = vbt.Portfolio.from_orders(close, size, size_type="targetpercent", price=price, init_cash=100_000,
                                       fees=0.0, size_granularity=granularity, group_by=True, cash_sharing=True, call_seq="auto", freq=freq)
    else:
        pf = vbt.Portfolio.from_signals(close, entries, exits, price=price, init_cash=100_000, fees=0.0,
                                        size_granularity=granularity, freq=freq)
    final = float(np.asarray(pf.final_value()).sum())
    trades = pf.trades
    return final, int(np.asarray(trades.closed.count()).sum()), int(np.asarray(trades.open.count()).sum())


def main():
    case_dir, fast, slow, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    open_, close, interval, bars = build(case_dir)
    freq = "1min" if interval == "1m" else "1D"
    t0, c0 = time.perf_counter(), time.process_time()
    result = run(open_, close, fast, slow, freq)
    cold, cold_cpu = time.perf_counter() - t0, time.process_time() - c0
    best, best_cpu = float("inf"), float("inf")
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        result = run(open_, close, fast, slow, freq)
        best, best_cpu = min(best, time.perf_counter() - t0), min(best_cpu, time.process_time() - c0)
    final, closed, still_open = result
    checks = {"signal_close_whole": run(open_, close, fast, slow, freq, lag=0, fill="close", granularity=1),
              "next_close_whole": run(open_, close, fast, slow, freq, lag=1, fill="close", granularity=1)}
    peer_bars.emit({"peer": "vectorbt", "version": vbt.__version__, "bars": bars, "seconds": best, "cpu": best_cpu,
                    "cold_seconds": cold, "cold_cpu": cold_cpu, "runs": runs, "final_equity": final,
                    "trades": closed, "open_trades": still_open,
                    "checks": {k: {"final_equity": v[0], "trades": v[1], "open_trades": v[2]} for k, v in checks.items()}})


if __name__ == "__main__":
    main()
