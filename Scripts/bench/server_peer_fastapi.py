#!/usr/bin/env python3
"""FastAPI + uvicorn peer of `tradewind serve` for `tradewind bench server`: the same endpoints over the same SQLite
file, written the way the optimizer-console and AI-trading servers Tradewind replaces are (FastAPI, sqlite3, pandas).

  python3 Scripts/bench/server_peer_fastapi.py --db FILE --port PORT --spy-dir DIR [--workers N]

GET /api/history (limit, offset, sort, order, symbol, strategy), GET /api/history/{id} (with its trade log), and
POST /api/backtest (sma-cross on the bundled SPY daily bars: the same crossings as Tradewind's sma-cross, signal at the
close, fill at the next open, fractional shares, all-in; metrics, trades and a sampled equity curve, as Tradewind's
endpoint answers: the same trades and equity; Tradewind's summary has more metrics, and it also stores the result and
a session durably, which this peer does not).
"""
import argparse
import glob
import json
import math
import os
import sqlite3
from datetime import datetime, timezone

import pandas as pd
import uvicorn
from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel

SORTS = {"date": "created_at", "sharpe": "sharpe", "total_return": "total_return", "max_gain": "max_gain",
         "win_rate": "win_rate", "max_drawdown": "max_drawdown"}
COLUMNS = ("id, job_id, kind, symbol, strategy, parameters, objective_name, objective, sharpe, total_return, max_gain, "
           "win_rate, max_drawdown, trades, created_at")

app = FastAPI()
DB = os.environ.get("PEER_DB", "")
SPY_DIR = os.environ.get("PEER_SPY_DIR", "")
_bars = None


def iso(nanos):
    return datetime.fromtimestamp(nanos / 1e9, tz=timezone.utc).isoformat()


def connect():
    c = sqlite3.connect(DB)
    c.row_factory = sqlite3.Row
    return c


def item(r):
    return {"id": r["id"], "job_id": r["job_id"], "kind": r["kind"], "symbol": r["symbol"], "strategy": r["strategy"],
            "parameters": {p["name"]: p["value"] for p in json.loads(r["parameters"])},
            "objective": r["objective_name"], "objective_value": r["objective"], "sharpe": r["sharpe"],
            "total_return": r["total_return"], "max_gain": r["max_gain"], "win_rate": r["win_rate"],
            "max_drawdown": r["max_drawdown"], "trades": r["trades"], "created_at": iso(r["created_at"])}


@app.get("/api/history")
def history(limit: int = Query(50, ge=1, le=1000), offset: int = Query(0, ge=0), sort: str = "date", order: str = "desc",
            symbol: str | None = None, strategy: str | None = None):
    if sort not in SORTS or order not in ("asc", "desc"):
        raise HTTPException(400, "bad sort or order")
    where, args = [], []
    if symbol:
        where.append("symbol = ?"); args.append(symbol)
    if strategy:
        where.append("strategy = ?"); args.append(strategy)
    w = (" WHERE " + " AND ".join(where)) if where else ""
    with connect() as c:
        total = c.execute("SELECT COUNT(*) FROM results" + w, args).fetchone()[0]
        rows = c.execute(f"SELECT {COLUMNS} FROM results{w} ORDER BY {SORTS[sort]} {order.upper()} NULLS LAST, id DESC "
                         "LIMIT ? OFFSET ?", args + [limit, offset]).fetchall()
    return {"items": [item(r) for r in rows], "total": total, "limit": limit, "offset": offset}


@app.get("/api/history/{rid}")
def history_one(rid: int):
    with connect() as c:
        r = c.execute(f"SELECT {COLUMNS}, detail, trade_log FROM results WHERE id = ?", (rid,)).fetchone()
    if r is None:
        raise HTTPException(404, "no result")
    out = item(r)
    out["detail"] = json.loads(r["detail"])
    out["trade_log"] = json.loads(r["trade_log"])
    return out


class BacktestBody(BaseModel):
    strategy: str
    data: str
    params: dict = {}
    equity_points: int = 500


def bars():
    global _bars
    if _bars is None:
        frames = [pd.read_csv(f) for f in sorted(glob.glob(os.path.join(SPY_DIR, "SPY-*.csv")))]
        df = pd.concat(frames).drop_duplicates("Date").sort_values("Date").reset_index(drop=True)
        _bars = df
    return _bars


@app.post("/api/backtest")
def backtest(body: BacktestBody):
    if body.strategy != "sma-cross" or body.data != "sample:spy-daily":
        raise HTTPException(400, "this peer runs sma-cross on sample:spy-daily only")
    fast, slow = int(body.params.get("fast", 10)), int(body.params.get("slow", 30))
    df = bars()
    close, open_ = df["Close"].to_numpy(), df["Open"].to_numpy()
    f = pd.Series(close).rolling(fast).mean().to_numpy()
    s = pd.Series(close).rolling(slow).mean().to_numpy()
    cash, qty, equity, trades, entry = 100_000.0, 0.0, [], [], None
    want, was_below, was_above = 0, False, False
    for i in range(len(df)):
        if i > 0 and want != (1 if qty > 0 else 0):
            price = open_[i]
            if want == 1:
                qty, cash, entry = cash / price, 0.0, (df["Date"][i], price)
            else:
                cash, pnl = qty * price, qty * (price - entry[1])
                trades.append({"symbol": "SPY", "side": "long", "entry_time": entry[0], "exit_time": df["Date"][i],
                               "entry_price": entry[1], "exit_price": price, "quantity": qty, "net_pnl": pnl,
                               "return": price / entry[1] - 1})
                qty = 0.0
        equity.append(cash + qty * close[i])
        # Crossings, as Tradewind's sma-cross (vectorbt's rules): long when the fast mean crosses above the slow one
        # after having been below it, flat when it crosses below after having been above.
        if not (math.isnan(f[i]) or math.isnan(s[i])):
            if f[i] > s[i]:
                if was_below:
                    want = 1
                was_below, was_above = False, True
            elif f[i] < s[i]:
                if was_above:
                    want = 0
                was_below, was_above = True, False
    eq = pd.Series(equity)
    rets = eq.pct_change().fillna(eq.iloc[0] / 100_000 - 1)
    sharpe = float(rets.mean() / rets.std() * math.sqrt(252)) if rets.std() > 0 else None
    drawdown = float((1 - eq / eq.cummax()).max())
    wins = [t for t in trades if t["net_pnl"] > 0]
    step = max(1, -(-len(eq) // max(1, body.equity_points)))
    summary = {"strategy": "sma-cross", "parameters": f"fast={fast} slow={slow}", "symbols": ["SPY"], "bars": len(eq),
               "initial_capital": 100_000, "final_equity": float(eq.iloc[-1]), "total_return": float(eq.iloc[-1] / 100_000 - 1),
               "sharpe": sharpe, "max_drawdown": drawdown, "trades": len(trades),
               "win_rate": len(wins) / len(trades) if trades else None}
    return {"summary": summary, "notes": [], "trades": trades,
            "equity": [{"time": df["Date"][i], "equity": float(eq.iloc[i])} for i in range(0, len(eq), step)],
            "market_condition": "unknown"}


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--spy-dir", required=True)
    p.add_argument("--workers", type=int, default=2)
    a = p.parse_args()
    os.environ["PEER_DB"], os.environ["PEER_SPY_DIR"] = a.db, a.spy_dir
    uvicorn.run("server_peer_fastapi:app", app_dir=os.path.dirname(os.path.abspath(__file__)), host="127.0.0.1",
                port=a.port, workers=a.workers, log_level="warning")
