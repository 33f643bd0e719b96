#!/usr/bin/env python3
"""backtrader peer of `tradewind bench engines`: sma-cross FAST/SLOW, long-only, all-in, no costs, on the bars of a
case directory written by Tradewind (see peer_bars.py).

Set-up (not timed): Cerebro with its defaults preload=True, runonce=True (indicators computed in one vectorised
pass), stdstats=False (no observers: the engine alone, as on the other sides), cheat_on_open=True, broker cash
100,000, no commission; one PandasData feed per symbol; bt.indicators.SMA (fast, slow) and bt.indicators.CrossOver
per feed. Timed: cerebro.run() only, best of RUNS (a fresh Cerebro per run: run() consumes it), wall clock and
process CPU time.

Fill convention: next-bar open, as Tradewind's. A crossing seen in next() at bar t is acted on in next_open() of bar
t+1 (cheat-on-open), which sizes the order from that open: fractional shares, all cash for one symbol (x (1 - 1e-9)
so rounding never exceeds the cash), 1/N of the broker's value for N symbols; the order fills at that same open.
backtrader's CrossOver fires when the difference changes sign ignoring zero differences, which is vectorbt's rule
except after an exact tie.
usage: backtrader_sma_cross.py CASE_DIR FAST SLOW RUNS -> one JSON line.
"""
import sys
import time

import backtrader as bt

import peer_bars


class SmaCross(bt.Strategy):
    params = (("fast", 10), ("slow", 30))

    def __init__(self):
        self.n = len(self.datas)
        self.cross = [bt.indicators.CrossOver(bt.indicators.SMA(d.close, period=self.p.fast),
                                              bt.indicators.SMA(d.close, period=self.p.slow)) for d in self.datas]
        self.want = [0] * self.n
        self.buys = 0
        self.sells = 0

    def next(self):
        for i, d in enumerate(self.datas):
            if len(d) and d.datetime[0] == self.datetime[0]:  # the feed has a bar now
                x = self.cross[i][0]
                if x > 0:
                    self.want[i] = 1
                elif x < 0:
                    self.want[i] = -1

    # Feeds start on different dates (the 50-symbol case): act before every feed has its minimum period too.
    def prenext(self):
        self.next()

    def prenext_open(self):
        self.next_open()

    def next_open(self):
        for i, d in enumerate(self.datas):
            w = self.want[i]
            if not w:
                continue
            self.want[i] = 0
            held = self.getposition(d).size
            if w > 0 and held == 0:
                budget = self.broker.getcash() * (1 - 1e-9) if self.n == 1 else min(
                    self.broker.getvalue() / self.n, self.broker.getcash())
                size = budget / d.open[0]
                if size > 0:
                    self.buy(data=d, size=size)
                    self.buys += 1
            elif w < 0 and held > 0:
                self.close(data=d)
                self.sells += 1


def main():
    case_dir, fast, slow, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    series, interval = peer_bars.load(case_dir)
    frames = [(sym, peer_bars.frame(t, o, h, l, c, v).tz_localize(None)) for sym, t, o, h, l, c, v in series]
    bars = sum(len(f) for _, f in frames)
    timeframe = (bt.TimeFrame.Minutes, 1) if interval == "1m" else (bt.TimeFrame.Days, 1)
    best, best_cpu = float("inf"), float("inf")
    for _ in range(runs):
        cerebro = bt.Cerebro(stdstats=False, cheat_on_open=True)
        for sym, df in frames:
            cerebro.adddata(bt.feeds.PandasData(dataname=df, timeframe=timeframe[0], compression=timeframe[1],
                                                openinterest=None), name=sym)
        cerebro.broker.setcash(100_000)
        cerebro.broker.setcommission(commission=0.0)
        cerebro.addstrategy(SmaCross, fast=fast, slow=slow)
        t0, c0 = time.perf_counter(), time.process_time()
        strategy = cerebro.run()[0]
        best, best_cpu = min(best, time.perf_counter() - t0), min(best_cpu, time.process_time() - c0)
        final = cerebro.broker.getvalue()
    peer_bars.emit({"peer": "backtrader", "version": bt.__version__, "bars": bars, "seconds": best, "cpu": best_cpu,
                    "runs": runs, "final_equity": final, "trades": strategy.sells,
                    "open_trades": strategy.buys - strategy.sells, "preload": True, "runonce": True})


if __name__ == "__main__":
    main()
