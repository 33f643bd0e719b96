"""alpaca-py's StockDataStream (trades and quotes) and its historical trades and quotes (multi-symbol, paged) against
`tradewind exchange` replaying a SYNTHETIC trades-and-quotes recording (not market data) that this script writes.

Run by Scripts/alpaca-py.sh:
  alpaca_py_ticks.py write DIR   writes DIR/SPY.trades.jsonl, DIR/SPY.quotes.jsonl and DIR/QQQ.trades.jsonl: 2019-02-14
                                 from 09:30 New York, 420 minutes of SPY (30 trades and 2 quotes a minute) and QQQ
                                 (1 trade a minute)
  alpaca_py_ticks.py check URL   the checks, against an exchange (manual clock) replaying DIR from 09:30
Exits non-zero when a check fails.
"""
import json
import os
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

open_utc = datetime(2019, 2, 14, 14, 30, tzinfo=timezone.utc)
minutes = 420


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"


def write(directory):
    os.makedirs(directory, exist_ok=True)
    with open(f"{directory}/SPY.trades.jsonl", "w") as trades, open(f"{directory}/SPY.quotes.jsonl", "w") as quotes, \
            open(f"{directory}/QQQ.trades.jsonl", "w") as qqq:
        for m in range(minutes):
            start = open_utc + timedelta(minutes=m)
            for k in range(30):
                price = round(270 + (m % 50) * 0.01 + k * 0.001, 3)
                trades.write(json.dumps({"t": stamp(start + timedelta(seconds=k * 2 + 1)), "x": "V", "p": price, "s": 100,
                                         "c": ["@"], "i": m * 30 + k, "z": "B"}) + "\n")
            for k in range(2):
                quotes.write(json.dumps({"t": stamp(start + timedelta(seconds=20 + k * 20)), "ax": "V", "ap": 270.6,
                                         "as": 3, "bx": "V", "bp": 270.4, "bs": 2, "c": ["R"], "z": "B"}) + "\n")
            qqq.write(json.dumps({"t": stamp(start + timedelta(seconds=5)), "x": "V", "p": 170 + m * 0.01, "s": 10,
                                  "c": ["@"], "i": m, "z": "C"}) + "\n")


def check_all(base):
    from alpaca.data.historical import StockHistoricalDataClient
    from alpaca.data.live import StockDataStream
    from alpaca.data.requests import StockQuotesRequest, StockTradesRequest

    from alpaca_py_checks import Checks

    checks = Checks(base)
    key, secret, check, advance = checks.key, checks.secret, checks.check, checks.advance

    got_trades, got_quotes = [], []

    async def on_trade(t):
        got_trades.append(t)

    async def on_quote(q):
        got_quotes.append(q)

    stream = StockDataStream(key, secret, url_override=base.replace("http://", "ws://") + "/v2/iex")
    stream.subscribe_trades(on_trade, "SPY")
    stream.subscribe_quotes(on_quote, "SPY")
    threading.Thread(target=stream.run, daemon=True).start()
    time.sleep(1.0)
    advance(3)
    for _ in range(100):
        if len(got_trades) >= 90 and len(got_quotes) >= 6:
            break
        time.sleep(0.1)
    check(f"StockDataStream (msgpack): SPY trades as the clock advances ({len(got_trades)} of 90)", len(got_trades) == 90)
    check(f"StockDataStream: SPY quotes ({len(got_quotes)} of 6)", len(got_quotes) == 6)
    check("StockDataStream trades carry symbol, time, price and size, in time order",
          all(t.symbol == "SPY" and t.price > 0 and t.size == 100 for t in got_trades)
          and all(a.timestamp <= b.timestamp for a, b in zip(got_trades, got_trades[1:])))
    check("StockDataStream quotes carry bid and ask",
          all(q.symbol == "SPY" and q.bid_price == 270.4 and q.ask_price == 270.6 for q in got_quotes))
    stream.stop()

    played = advance(minutes)["steps_played"]
    data = StockHistoricalDataClient(key, secret, url_override=base)
    trades = data.get_stock_trades(StockTradesRequest(symbol_or_symbols=["SPY", "QQQ"], start=open_utc))
    spy, qqq = trades["SPY"], trades["QQQ"]
    check(f"historical trades of two symbols over several 10000-trade pages ({len(spy)} SPY, {len(qqq)} QQQ)",
          len(spy) > 10000 and len(spy) == 30 * len(qqq) and played - 1 <= len(qqq) <= played)
    check("historical trades in time order", all(a.timestamp <= b.timestamp for a, b in zip(spy, spy[1:])))
    quotes = data.get_stock_quotes(StockQuotesRequest(symbol_or_symbols=["SPY"], start=open_utc, limit=50))
    check(f"historical quotes with a limit ({len(quotes['SPY'])} of 50)", len(quotes["SPY"]) == 50)
    checks.finish("alpaca-py trades and quotes: every check passed")


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2])
    else:
        check_all(sys.argv[2])
