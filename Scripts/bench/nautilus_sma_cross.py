#!/usr/bin/env python3
"""NautilusTrader peer of `tradewind bench engines`: sma-cross FAST/SLOW, long-only, all-in, no costs, on the bars of
a case directory written by Tradewind (see peer_bars.py).

Set-up (not timed): a BacktestEngine (logging bypassed) with one simulated venue SIM (cash account, NETTING, USD
100,000, no fees), one Equity instrument per symbol (price precision 2 for cent prices, else 6, whole shares, maker/taker fee 0), bars built
by its own BarDataWrangler (bar type SYMBOL.SIM-1-MINUTE|DAY-LAST-EXTERNAL), and a Strategy with two of Nautilus's
own SimpleMovingAverage indicators per symbol registered for the bars (register_indicator_for_bars). Timed:
engine.run() only, best of RUNS (engine.reset() between runs), wall clock and process CPU time.

Fill convention: an order submitted in on_bar reaches the simulated exchange after it has processed that bar, so a
market order fills at the signal bar's CLOSE (Nautilus has no next-bar-open fill for bar data). Sizing: whole
shares, floor(free USD / close) for one symbol; floor(equity / N / close) for N symbols (Tradewind's 1/N of equity).
The crossing rule is vectorbt's (peer_bars.Cross) on Nautilus's SMA values.
usage: nautilus_sma_cross.py CASE_DIR FAST SLOW RUNS -> one JSON line.
"""
import sys
import time
from decimal import Decimal

import numpy as np

import nautilus_trader
from nautilus_trader.backtest.engine import BacktestEngine, BacktestEngineConfig
from nautilus_trader.config import LoggingConfig, StrategyConfig
from nautilus_trader.indicators import SimpleMovingAverage
from nautilus_trader.model.currencies import USD
from nautilus_trader.model.data import BarType
from nautilus_trader.model.enums import AccountType, OmsType, OrderSide
from nautilus_trader.model.identifiers import InstrumentId, Symbol, TraderId, Venue
from nautilus_trader.model.instruments import Equity
from nautilus_trader.model.objects import Money, Price, Quantity
from nautilus_trader.persistence.wranglers import BarDataWrangler
from nautilus_trader.trading.strategy import Strategy

import peer_bars

VENUE = Venue("SIM")


class SmaCrossConfig(StrategyConfig, frozen=True):
    bar_types: list
    fast: int = 10
    slow: int = 30


class SmaCross(Strategy):
    def __init__(self, config):
        super().__init__(config)
        n = len(config.bar_types)
        self.n = n
        self.lanes = {}
        for bt in config.bar_types:
            bar_type = BarType.from_str(bt)
            self.lanes[bar_type] = [bar_type.instrument_id, SimpleMovingAverage(config.fast),
                                    SimpleMovingAverage(config.slow), peer_bars.Cross(), peer_bars.Cross(), bar_type]
        self.buys = 0
        self.sells = 0

    def on_start(self):
        for bar_type, lane in self.lanes.items():
            self.register_indicator_for_bars(bar_type, lane[1])
            self.register_indicator_for_bars(bar_type, lane[2])
            self.subscribe_bars(bar_type)

    def on_bar(self, bar):
        lane = self.lanes[bar.bar_type]
        fast, slow = lane[1], lane[2]
        if not slow.initialized:
            return
        f, s = fast.value, slow.value
        up = lane[3].update(f, s)
        down = lane[4].update(s, f)
        if up == down:
            return
        iid = lane[0]
        if up and self.portfolio.is_flat(iid):
            account = self.portfolio.account(VENUE)
            close = bar.close.as_double()
            if self.n == 1:
                budget = account.balance_free(USD).as_double()
            else:
                equity = account.balance_total(USD).as_double()
                for other in self.lanes.values():
                    pos = self.portfolio.net_position(other[0])
                    if pos:
                        equity += float(pos) * self.cache.bar(other[5]).close.as_double()
                budget = min(equity / self.n, account.balance_free(USD).as_double())
            qty = int(budget // close)
            if qty > 0:
                self.submit_order(self.order_factory.market(iid, OrderSide.BUY, Quantity.from_int(qty)))
                self.buys += 1
        elif down and self.portfolio.is_net_long(iid):
            self.close_all_positions(iid)
            self.sells += 1


def build(case_dir, fast, slow):
    series, interval = peer_bars.load(case_dir)
    spec = "1-MINUTE-LAST-EXTERNAL" if interval == "1m" else "1-DAY-LAST-EXTERNAL"
    engine = BacktestEngine(BacktestEngineConfig(trader_id=TraderId("BENCH-001"),
                                                 logging=LoggingConfig(bypass_logging=True)))
    engine.add_venue(venue=VENUE, oms_type=OmsType.NETTING, account_type=AccountType.CASH, base_currency=USD,
                     starting_balances=[Money(100_000, USD)], allow_cash_borrowing=True)
    bar_types = []
    bars = 0
    # Prices on whole cents (the synthetic minute bars) keep precision 2; adjusted daily prices need more digits, or
    # Nautilus's Price would round them (AAPL 1999 adjusted trades near $0.25).
    precision = 2 if all(np.array_equal(np.round(c * 100) / 100, c) for _, _, _, _, _, c, _ in series) else 6
    for sym, t, o, h, l, c, v in series:
        iid = InstrumentId(Symbol(sym), VENUE)
        instrument = Equity(instrument_id=iid, raw_symbol=Symbol(sym), currency=USD, price_precision=precision,
                            price_increment=Price(10.0 ** -precision, precision), lot_size=Quantity.from_int(1), ts_event=0,
                            ts_init=0, maker_fee=Decimal(0), taker_fee=Decimal(0))
        engine.add_instrument(instrument)
        bar_type = BarType.from_str(f"{iid}-{spec}")
        data = BarDataWrangler(bar_type, instrument).process(peer_bars.frame(t, o, h, l, c, v))
        engine.add_data(data)
        bar_types.append(str(bar_type))
        bars += len(data)
    return engine, bar_types, bars


def main():
    case_dir, fast, slow, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    engine, bar_types, bars = build(case_dir, fast, slow)
    best, best_cpu = float("inf"), float("inf")
    for i in range(runs):
        if i:
            engine.reset()
        strategy = SmaCross(SmaCrossConfig(bar_types=bar_types, fast=fast, slow=slow))
        engine.add_strategy(strategy)
        t0, c0 = time.perf_counter(), time.process_time()
        engine.run()
        best, best_cpu = min(best, time.perf_counter() - t0), min(best_cpu, time.process_time() - c0)
        account = engine.portfolio.account(VENUE)
        final = account.balance_total(USD).as_double()
        for bt in bar_types:
            bar_type = BarType.from_str(bt)
            pos = engine.portfolio.net_position(bar_type.instrument_id)
            if pos:
                final += float(pos) * engine.cache.bar(bar_type).close.as_double()
        trades, still_open = strategy.sells, strategy.buys - strategy.sells
        if hasattr(engine.trader, "remove_strategy"):  # the next run adds a fresh one
            engine.trader.remove_strategy(strategy.id)
    peer_bars.emit({"peer": "nautilus_trader", "version": nautilus_trader.__version__, "bars": bars, "seconds": best,
                    "cpu": best_cpu, "runs": runs, "final_equity": final, "trades": trades,
                    "open_trades": still_open})


if __name__ == "__main__":
    main()
