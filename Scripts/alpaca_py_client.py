"""alpaca-py (the official Python SDK, from PyPI) as a real client of `tradewind exchange`.

Run by Scripts/alpaca-py.sh against an exchange in manual clock mode. Exercises: account; market, limit, stop,
stop-limit and trailing-stop orders; replace and cancel; a bracket order; positions and closing them; the
trade_updates stream; historical bars (paged); the bars data stream (StockDataStream, MessagePack). Exits non-zero on the first failed check.
"""
import asyncio
import sys
import threading
import time
from datetime import datetime, timezone

from alpaca.common.exceptions import APIError
from alpaca.data.historical import StockHistoricalDataClient
from alpaca.data.live import StockDataStream
from alpaca.data.requests import StockBarsRequest
from alpaca.data.timeframe import TimeFrame
from alpaca.trading.client import TradingClient
from alpaca.trading.enums import OrderClass, OrderSide, QueryOrderStatus, TimeInForce
from alpaca.trading.requests import (ClosePositionRequest, GetOrdersRequest, LimitOrderRequest, MarketOrderRequest,
                                     ReplaceOrderRequest, StopLimitOrderRequest, StopLossRequest, StopOrderRequest,
                                     TakeProfitRequest, TrailingStopOrderRequest)
from alpaca.trading.stream import TradingStream

from alpaca_py_checks import Checks

base = sys.argv[1]
checks = Checks(base)
key, secret, check, advance = checks.key, checks.secret, checks.check, checks.advance


events = []
stream = TradingStream(key, secret, paper=True, url_override=base.replace("http://", "ws://") + "/stream")


async def on_update(update):
    events.append((update.event, str(update.order.id)))


stream.subscribe_trade_updates(on_update)
threading.Thread(target=stream.run, daemon=True).start()
time.sleep(1.0)

trading = TradingClient(key, secret, paper=True, url_override=base)
advance(5)
account = trading.get_account()
check("account: cash 100000", float(account.cash) == 100000)

market = trading.submit_order(MarketOrderRequest(symbol="SPY", qty=10, side=OrderSide.BUY, time_in_force=TimeInForce.DAY,
                                                 client_order_id="py-market-1"))
check("market order accepted", market.status.value in ("new", "accepted"))
advance(1)
filled = trading.get_order_by_id(market.id)
check("market order filled at the next bar", filled.status.value == "filled" and float(filled.filled_qty) == 10)
check("order by client id", str(trading.get_order_by_client_id("py-market-1").id) == str(market.id))

price = float(filled.filled_avg_price)
limit = trading.submit_order(LimitOrderRequest(symbol="SPY", qty=1, side=OrderSide.BUY, time_in_force=TimeInForce.GTC,
                                               limit_price=round(price * 0.5, 2)))
stop = trading.submit_order(StopOrderRequest(symbol="SPY", qty=1, side=OrderSide.SELL, time_in_force=TimeInForce.GTC,
                                             stop_price=round(price * 0.5, 2)))
stop_limit = trading.submit_order(StopLimitOrderRequest(symbol="SPY", qty=1, side=OrderSide.SELL, time_in_force=TimeInForce.GTC,
                                                        stop_price=round(price * 0.5, 2), limit_price=round(price * 0.49, 2)))
trailing = trading.submit_order(TrailingStopOrderRequest(symbol="SPY", qty=1, side=OrderSide.SELL, time_in_force=TimeInForce.GTC,
                                                         trail_percent=20))
check("limit, stop, stop-limit and trailing-stop orders accepted",
      all(o.status.value in ("new", "accepted") for o in (limit, stop, stop_limit, trailing)))
replaced = trading.replace_order_by_id(limit.id, ReplaceOrderRequest(qty=2, limit_price=round(price * 0.6, 2)))
check("replace gives a new order", str(replaced.id) != str(limit.id) and float(replaced.qty) == 2)
check("the old order is replaced", trading.get_order_by_id(limit.id).status.value == "replaced")
trading.cancel_order_by_id(replaced.id)
check("cancel", trading.get_order_by_id(replaced.id).status.value == "canceled")
try:
    trading.cancel_order_by_id(replaced.id)
    check("cancelling twice is refused", False)
except APIError as e:
    check("cancelling twice is refused with 422", e.status_code == 422)
cancelled = trading.cancel_orders()
check("cancel all answers every open order", len(cancelled) == 3 and all(c.status == 200 for c in cancelled))

bracket = trading.submit_order(MarketOrderRequest(symbol="SPY", qty=5, side=OrderSide.BUY, time_in_force=TimeInForce.GTC,
                                                  order_class=OrderClass.BRACKET,
                                                  take_profit=TakeProfitRequest(limit_price=round(price * 1.5, 2)),
                                                  stop_loss=StopLossRequest(stop_price=round(price * 0.5, 2))))
check("bracket order with two held legs", bracket.order_class.value == "bracket" and len(bracket.legs or []) == 2)
advance(1)
positions = trading.get_all_positions()
check("positions: 15 SPY", len(positions) == 1 and float(positions[0].qty) == 15)
trading.close_position("SPY", ClosePositionRequest(qty="3"))
advance(1)
check("close part of a position", float(trading.get_open_position("SPY").qty) == 12)
open_orders = trading.get_orders(GetOrdersRequest(status=QueryOrderStatus.OPEN))
check("the bracket's exits are open", len(open_orders) >= 1)
trading.close_all_positions(cancel_orders=True)
advance(1)
check("close all positions", trading.get_all_positions() == [])

# Fill-or-kill, auction windows and extended hours (the clock is in regular hours: 09:3x New York).
price = float(trading.get_order_by_id(market.id).filled_avg_price)
fok_fills = trading.submit_order(LimitOrderRequest(symbol="SPY", qty=1, side=OrderSide.BUY, time_in_force=TimeInForce.FOK,
                                                   limit_price=round(price * 1.5, 2)))
fok_kills = trading.submit_order(LimitOrderRequest(symbol="SPY", qty=1, side=OrderSide.BUY, time_in_force=TimeInForce.FOK,
                                                   limit_price=round(price * 0.5, 2)))
on_close = trading.submit_order(LimitOrderRequest(symbol="SPY", qty=1, side=OrderSide.BUY, time_in_force=TimeInForce.CLS,
                                                  limit_price=round(price * 0.5, 2)))
check("cls limit order (limit-on-close) accepted", on_close.status.value in ("new", "accepted") and on_close.time_in_force.value == "cls")
advance(1)
check("fok filled whole on its first bar", trading.get_order_by_id(fok_fills.id).status.value == "filled")
check("fok not reached is canceled, nothing filled",
      trading.get_order_by_id(fok_kills.id).status.value == "canceled" and float(trading.get_order_by_id(fok_kills.id).filled_qty) == 0)
try:
    trading.submit_order(MarketOrderRequest(symbol="SPY", qty=1, side=OrderSide.BUY, time_in_force=TimeInForce.OPG))
    check("opg after 09:28 is refused", False)
except APIError as e:
    check("opg after 09:28 is refused with 422", e.status_code == 422 and "opg" in str(e))
try:
    trading.submit_order(MarketOrderRequest(symbol="SPY", qty=1, side=OrderSide.BUY, time_in_force=TimeInForce.DAY,
                                            extended_hours=True))
    check("extended hours market order is refused", False)
except APIError as e:
    check("extended hours market order is refused with 422", e.status_code == 422 and "only type" in str(e))
extended = trading.submit_order(LimitOrderRequest(symbol="SPY", qty=1, side=OrderSide.BUY, time_in_force=TimeInForce.DAY,
                                                  limit_price=round(price * 0.5, 2), extended_hours=True))
check("extended hours day limit order accepted", extended.extended_hours is True)
trading.cancel_orders()
trading.close_all_positions(cancel_orders=True)
advance(1)

time.sleep(0.5)
mine = [e for e, oid in events if oid == str(market.id)]
check("trade_updates: new then fill for the market order", mine[:2] == ["new", "fill"])
check("trade_updates: replaced and canceled events", any(e == "replaced" for e, _ in events) and any(e == "canceled" for e, _ in events))

# The data stream: StockDataStream speaks MessagePack (its Content-Type), bars arrive as the clock advances.
live_bars = []


async def on_bar(bar):
    live_bars.append(bar)


data_stream = StockDataStream(key, secret, url_override=base.replace("http://", "ws://") + "/v2/iex")
data_stream.subscribe_bars(on_bar, "SPY")
threading.Thread(target=data_stream.run, daemon=True).start()
time.sleep(1.0)
advance(3)
for _ in range(100):
    if len(live_bars) >= 3:
        break
    time.sleep(0.1)
check(f"StockDataStream (msgpack): SPY bars as the clock advances ({len(live_bars)})", len(live_bars) >= 3)
check("StockDataStream bars carry symbol, time and prices",
      all(b.symbol == "SPY" and b.timestamp.tzinfo is not None and b.close > 0 and b.high >= b.low for b in live_bars))
check("StockDataStream bars one minute apart",
      all((b.timestamp - a.timestamp).total_seconds() == 60 for a, b in zip(live_bars, live_bars[1:])))
data_stream.stop()

played = advance(1000)["steps_played"]
data = StockHistoricalDataClient(key, secret, url_override=base)
start = datetime(2019, 2, 11, tzinfo=timezone.utc)
symbols = ["AAPL", "AMT", "AMZN", "BAC", "BK", "DFS", "GLD", "JPM", "MSFT", "MU", "QQQ", "SBUX", "SLV", "SPY", "TRV", "TSLA",
           "V", "VOO", "XLP"]
bars = data.get_stock_bars(StockBarsRequest(symbol_or_symbols=symbols, timeframe=TimeFrame.Minute, start=start))
total = sum(len(bars[s]) for s in symbols)
check(f"historical bars over several 10000-bar pages ({total} bars)", total > 10000)
check("SPY's bars up to the replay clock", 900 < len(bars["SPY"]) <= played)
check("bars in time order", all(a.timestamp < b.timestamp for a, b in zip(bars["SPY"], bars["SPY"][1:])))

stream.stop()
checks.finish("alpaca-py: every check passed")
