#!/usr/bin/env python3
"""Peer side of `tradewind bench engine`: runs the same SMA-cross strategy through backtesting.py on a CSV
written by Tradewind (columns: time_ns,open,high,low,close,volume) and prints one JSON line:
{"bars": N, "seconds": S, "runs": R, "final_equity": E, "trades": T, "version": "..."}.
Timing covers Backtest.run() only (data preparation and imports excluded), best of R runs, in thread CPU time
(time.thread_time), as the Tradewind side measures, so a busy machine does not distort the ratio.

usage: backtesting_sma_cross.py CSV FAST SLOW RUNS
"""
import json
import sys
import time
import warnings

import pandas as pd

warnings.filterwarnings("ignore")
import backtesting  # noqa: E402
from backtesting import Backtest, Strategy  # noqa: E402
from backtesting.lib import crossover  # noqa: E402


def sma(values, n):
    return pd.Series(values).rolling(n).mean()


class SmaCross(Strategy):
    fast = 10
    slow = 30

    def init(self):
        self.f = self.I(sma, self.data.Close, self.fast)
        self.s = self.I(sma, self.data.Close, self.slow)

    def next(self):
        if crossover(self.f, self.s):
            if not self.position:
                self.buy()
        elif crossover(self.s, self.f):
            if self.position:
                self.position.close()


def main():
    path, fast, slow, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    df = pd.read_csv(path)
    df.index = pd.to_datetime(df.pop("time_ns"), unit="ns")
    df.columns = ["Open", "High", "Low", "Close", "Volume"]
    best = float("inf")
    stats = None
    for _ in range(runs):
        bt = Backtest(df, SmaCross, cash=100_000, commission=0.001, finalize_trades=True)
        t0 = time.thread_time()
        stats = bt.run(fast=fast, slow=slow)
        best = min(best, time.thread_time() - t0)
    print(json.dumps({"bars": len(df), "seconds": best, "runs": runs, "final_equity": float(stats["Equity Final [$]"]),
                      "trades": int(stats["# Trades"]), "version": backtesting.__version__}))


if __name__ == "__main__":
    main()
