#!/usr/bin/env python3
"""zipline-reloaded peer of `tradewind bench engines`: sma-cross FAST/SLOW, long-only, all-in, no costs, on the bars
of a case directory written by Tradewind (see peer_bars.py), with no internet bundle: the bars are ingested into a
custom bundle registered here ("tradewind-bench", calendar XNYS) in a scratch ZIPLINE_ROOT (minute bars written by
its bcolz minute writer, labelled at the minute's end as zipline expects, plus daily bars resampled from them;
daily cases: its daily writer), then run_algorithm(data_frequency=minute|daily) on that bundle.

Timed: run_algorithm() (best of RUNS, wall clock and process CPU), which includes opening the bundle and building
its data portal (the ingest is not timed). The algorithm keeps its own running sums for both SMAs (data.history
every bar would be far slower) and applies vectorbt's crossing rule (peer_bars.Cross); set_slippage(FixedSlippage(0)),
set_commission(PerShare(0)). Fill convention: zipline fills an order on the NEXT bar at that bar's close; sizing by
order_target_percent (1.0 for one symbol, 1/N for N), whole shares from the price when the order is placed.
usage: zipline_sma_cross.py CASE_DIR FAST SLOW RUNS -> one JSON line.
"""
import os
import shutil
import sys
import tempfile
import time
import warnings

warnings.filterwarnings("ignore")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import peer_bars  # noqa: E402

BUNDLE = "tradewind-bench"


def main(root):
    """root: a scratch ZIPLINE_ROOT for the bundle, removed afterwards."""
    case_dir, fast, slow, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    os.environ["ZIPLINE_ROOT"] = root
    import zipline
    from zipline import run_algorithm
    from zipline.api import (order_target_percent, set_commission, set_slippage, symbol)
    from zipline.data import bundles
    from zipline.finance import commission, slippage

    series, interval = peer_bars.load(case_dir)
    minute = interval == "1m"
    frames = []
    for sym, t, o, h, l, c, v in series:
        df = peer_bars.frame(t, o, h, l, c, v)
        if minute:
            df.index = df.index + pd.Timedelta(minutes=1)  # zipline labels a minute bar by its end
        else:
            df.index = df.index.normalize().tz_localize(None)
        frames.append((sym, df))
    bars = sum(len(df) for _, df in frames)
    first = min(df.index[0] for _, df in frames)
    last = max(df.index[-1] for _, df in frames)
    start_session = pd.Timestamp(first.date()) if minute else first
    end_session = pd.Timestamp(last.date()) if minute else last

    def ingest(environ, asset_db_writer, minute_bar_writer, daily_bar_writer, adjustment_writer, calendar,
               start_session_, end_session_, cache, show_progress, output_dir):
        meta = []
        daily = []
        for sid, (sym, df) in enumerate(frames):
            if minute:
                minute_bar_writer.write([(sid, df)], show_progress=False)
                d = df.tz_convert("America/New_York").resample("1D").agg(
                    {"open": "first", "high": "max", "low": "min", "close": "last", "volume": "sum"}).dropna()
                d.index = d.index.tz_localize(None)
            else:
                d = df
            daily.append((sid, d))
            meta.append({"symbol": sym, "asset_name": sym, "exchange": "XNYS",
                         "start_date": d.index[0], "end_date": d.index[-1],
                         "auto_close_date": d.index[-1] + pd.Timedelta(days=1)})
        daily_bar_writer.write(daily, show_progress=False)
        asset_db_writer.write(equities=pd.DataFrame(meta), exchanges=pd.DataFrame(
            {"exchange": ["XNYS"], "canonical_name": ["XNYS"], "country_code": ["US"]}))
        adjustment_writer.write()

    bundles.register(BUNDLE, ingest, calendar_name="XNYS", start_session=start_session, end_session=end_session,
                     minutes_per_day=390)
    bundles.ingest(BUNDLE, os.environ, show_progress=False)

    symbols = [sym for sym, _ in frames]
    n = len(symbols)
    state = {}

    def initialize(context):
        set_slippage(slippage.FixedSlippage(spread=0.0))
        set_commission(commission.PerShare(cost=0.0, min_trade_cost=0.0))
        context.lanes = [[symbol(s), 0.0, [], peer_bars.Cross(), peer_bars.Cross(), 0] for s in symbols]
        context.buys = 0
        context.sells = 0
        state["context"] = context

    def handle_data(context, data):
        for lane in context.lanes:
            asset = lane[0]
            price = data.current(asset, "close")
            if price != price:  # no bar for this asset now
                continue
            # Running sums of the close: the last slow + 1 cumulative sums of this asset's bars.
            cum = lane[1] + price
            lane[1] = cum
            count = lane[5] + 1
            lane[5] = count
            hist = lane[2]
            hist.append(cum)
            if len(hist) > slow + 1:
                del hist[0]
            if count < slow:
                continue
            f = (cum - hist[-fast - 1]) / fast
            s = (cum - hist[-slow - 1]) / slow if count > slow else cum / slow
            up = lane[3].update(f, s)
            down = lane[4].update(s, f)
            if up and not down and context.portfolio.positions[asset].amount == 0:
                order_target_percent(asset, 1.0 / n)
                context.buys += 1
            elif down and not up and context.portfolio.positions[asset].amount > 0:
                order_target_percent(asset, 0.0)
                context.sells += 1

    calendar_start = pd.Timestamp(start_session)
    calendar_end = pd.Timestamp(end_session)
    bench = pd.Series(0.0, index=pd.date_range(calendar_start, calendar_end, freq="D", tz="UTC"))
    best, best_cpu = float("inf"), float("inf")
    perf = None
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        perf = run_algorithm(start=calendar_start, end=calendar_end, initialize=initialize, handle_data=handle_data,
                             capital_base=100_000, data_frequency="minute" if minute else "daily", bundle=BUNDLE,
                             benchmark_returns=bench)
        best, best_cpu = min(best, time.perf_counter() - t0), min(best_cpu, time.process_time() - c0)
    context = state["context"]
    peer_bars.emit({"peer": "zipline-reloaded", "version": zipline.__version__, "bars": bars, "seconds": best,
                    "cpu": best_cpu, "runs": runs, "final_equity": float(perf["portfolio_value"].iloc[-1]),
                    "trades": context.sells, "open_trades": context.buys - context.sells})


if __name__ == "__main__":
    root = tempfile.mkdtemp(prefix="zipline-root-")
    try:
        main(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
