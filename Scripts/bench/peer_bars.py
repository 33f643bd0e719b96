"""Shared by the `tradewind bench engines` peer scripts: reads the bars Tradewind wrote for a case and the sma-cross
signal rule every event-driven peer applies, so all sides trade the same decisions.

A case directory holds manifest.json ({"symbols": [...], "counts": [...], "interval": "1m"|"1d"}) and one
SYMBOL.bin per symbol: n little-endian int64 bar times (Unix ns, bar start) followed by five float64 columns of n
values each (open, high, low, close, volume). Nothing here is timed.
"""
import json
import os

import numpy as np


def load(case_dir):
    """[(symbol, times int64[n], open, high, low, close, volume)] in manifest order, and the interval."""
    with open(os.path.join(case_dir, "manifest.json")) as f:
        manifest = json.load(f)
    out = []
    for sym, n in zip(manifest["symbols"], manifest["counts"]):
        raw = np.fromfile(os.path.join(case_dir, sym + ".bin"), dtype="<f8")
        assert raw.size == 6 * n, f"{sym}: expected {6 * n} values, found {raw.size}"
        times = raw[:n].view("<i8").copy()
        cols = raw[n:].reshape(5, n)
        out.append((sym, times, cols[0].copy(), cols[1].copy(), cols[2].copy(), cols[3].copy(), cols[4].copy()))
    return out, manifest["interval"]


def frame(times, o, h, l, c, v):
    """A pandas frame indexed by UTC timestamps (columns open, high, low, close, volume)."""
    import pandas as pd

    return pd.DataFrame({"open": o, "high": h, "low": l, "close": c, "volume": v},
                        index=pd.to_datetime(times, unit="ns", utc=True))


class Cross:
    """vectorbt's ma_crossed_above semantics, as Tradewind's CrossAbove: fires on the first bar a > b after a was
    strictly below b; an equal bar re-arms it; a NaN bar resets it."""

    __slots__ = ("below", "ago")

    def __init__(self):
        self.below = False
        self.ago = -1

    def update(self, a, b):
        if a != a or b != b:
            self.ago = -1
            self.below = False
            return False
        if a > b:
            if not self.below:
                return False
            self.ago += 1
            return self.ago == 0
        self.ago = -1
        if a < b:
            self.below = True
        return False


def emit(obj):
    print(json.dumps(obj))
