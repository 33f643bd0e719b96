#!/usr/bin/env python3
"""Golden fixture for TradewindModels' 18 universal features (Tests/Fixtures/models/universal_features.json).

An independent pandas implementation of each feature as documented on `UniversalFeature`
(Sources/TradewindModels/Features/UniversalFeatures.swift): rolling windows with pandas, the recursive
indicators (Wilder's RSI and ATR, TA-Lib's SMA-seeded EMAs in MACD, OBV) as plain loops over the
definitions. No TA-Lib and no Tradewind code is used.

Input: the last BARS daily bars of a few bundled sp500-50 symbols (raw OHLCV, Alpha Vantage via Pooksoft,
MIT). The fixture carries its inputs so the Swift test needs no loader; NaN (warm-up) is written as null.

Run from the repo root:  python3 Scripts/models/universal_features.py     (pandas 2.x or 3.x, numpy)
"""
import json
import os

import numpy as np
import pandas as pd

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLES = os.path.join(ROOT, "Sources", "TradewindData", "Samples", "sp500-50")
OUT = os.path.join(ROOT, "Tests", "Fixtures", "models", "universal_features.json")
SYMBOLS = ["AAPL", "JPM", "XOM"]
BARS = 260

NAMES = ["close_change", "high_change", "low_change", "volume_change", "rsi_14", "macd_to_price",
         "bollinger_position", "bollinger_width", "atr_percent", "sma20_distance", "sma50_distance",
         "stochastic_k", "stochastic_d", "roc_10", "williams_r_14", "cci_20", "obv_change", "momentum_10"]


def wilder(values, period, first):
    """Wilder's smoothing of `values` seeded by the mean of values[first : first + period]."""
    out = np.full(len(values), np.nan)
    start = first + period - 1
    avg = values[first:first + period].mean()
    out[start] = avg
    for i in range(start + 1, len(values)):
        avg = (avg * (period - 1) + values[i]) / period
        out[i] = avg
    return out


def ema_seeded(values, period, seed_start):
    """EMA with k = 2/(period+1), seeded by the SMA of values[seed_start : seed_start + period]."""
    out = np.full(len(values), np.nan)
    k = 2.0 / (period + 1)
    start = seed_start + period - 1
    e = values[seed_start:seed_start + period].mean()
    out[start] = e
    for i in range(start + 1, len(values)):
        e = values[i] * k + e * (1 - k)
        out[i] = e
    return out


def pct_change(s):
    prev = s.shift(1)
    return ((s / prev - 1) * 100).where(prev != 0, 0.0).where(prev.notna())


def features(df):
    c, h, l, v = df["close"], df["high"], df["low"], df["volume"]
    cv = c.to_numpy()
    f = pd.DataFrame(index=df.index)
    f["close_change"] = pct_change(c)
    f["high_change"] = pct_change(h)
    f["low_change"] = pct_change(l)
    f["volume_change"] = pct_change(v)
    # RSI 14: Wilder averages of gains and losses over the changes, seeded by the first 14 changes.
    d = np.diff(cv, prepend=np.nan)
    gain, loss = np.where(d > 0, d, 0.0), np.where(d < 0, -d, 0.0)
    ag, al = wilder(gain, 14, 1), wilder(loss, 14, 1)
    f["rsi_14"] = np.where(ag + al == 0, 0.0, 100 * ag / (ag + al))
    # MACD line: TA-Lib aligns both EMAs to the slow one's first value, so the fast EMA's seed is the mean of
    # the 12 closes ending at bar 25.
    fast, slow = ema_seeded(cv, 12, 26 - 12), ema_seeded(cv, 26, 0)
    f["macd_to_price"] = (fast - slow) / cv
    mid = c.rolling(20).mean()
    sd = c.rolling(20).std(ddof=0)
    upper, lower = mid + 2 * sd, mid - 2 * sd
    band = upper - lower
    f["bollinger_position"] = ((c - lower) / band).where(band != 0, 0.5)
    f["bollinger_width"] = band / mid
    prev = c.shift(1)
    tr = pd.concat([h - l, (h - prev).abs(), (l - prev).abs()], axis=1).max(axis=1).to_numpy()
    f["atr_percent"] = wilder(tr, 14, 1) / cv * 100
    f["sma20_distance"] = (c / c.rolling(20).mean() - 1) * 100
    f["sma50_distance"] = (c / c.rolling(50).mean() - 1) * 100
    hh, ll = h.rolling(14).max(), l.rolling(14).min()
    rng = hh - ll
    k = ((c - ll) / rng * 100).where(rng != 0, 0.0).where(rng.notna())
    f["stochastic_k"] = k
    f["stochastic_d"] = k.rolling(3).mean()
    f["roc_10"] = (c / c.shift(10) - 1) * 100
    f["williams_r_14"] = (-100 * (hh - c) / rng).where(rng != 0, 0.0).where(rng.notna())
    tp = (h + l + c) / 3
    tp_mean = tp.rolling(20).mean()
    mad = tp.rolling(20).apply(lambda w: np.abs(w - w.mean()).mean(), raw=True)
    dev = tp - tp_mean
    f["cci_20"] = (dev / (0.015 * mad)).where((dev != 0) & (mad != 0), 0.0).where(mad.notna())
    obv = np.empty(len(cv))
    obv[0] = v.iloc[0]
    for i in range(1, len(cv)):
        obv[i] = obv[i - 1] + np.sign(cv[i] - cv[i - 1]) * v.iloc[i]
    obv = pd.Series(obv, index=df.index)
    obv_prev = obv.shift(1)
    f["obv_change"] = ((obv - obv_prev) / obv_prev.abs() * 100).clip(-50, 50).where(obv_prev != 0, 0.0)
    f["momentum_10"] = (c - c.shift(10)) / c * 100
    f = f[NAMES]
    f.iloc[:49] = np.nan  # the SMA 50 warm-up: no row is complete before bar 49
    return f


def main():
    out = []
    for symbol in SYMBOLS:
        df = pd.read_csv(os.path.join(SAMPLES, f"DA-{symbol}-T-2021-04-21.csv.gz")).sort_values("timestamp")
        df = df.tail(BARS).reset_index(drop=True)
        f = features(df)
        out.append({
            "symbol": symbol,
            "dates": df["timestamp"].tolist(),
            **{k: df[k].astype(float).tolist() for k in ["open", "high", "low", "close", "volume"]},
            "features": {n: [None if np.isnan(x) else float(x) for x in f[n]] for n in NAMES},
        })
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as fh:
        json.dump({"source": "Scripts/models/universal_features.py", "series": out}, fh)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
