"""Peer timing for `tradewind bench data`: pandas.read_csv over every CSV file of a directory.

Usage: python3 Scripts/bench/pandas_read_dir.py DIR [RUNS]
Prints one line per variant: `pandas <version> <variant> <best seconds> <MB/s>` (best wall-clock of RUNS),
for plain read_csv and for read_csv with the timestamp column parsed (the work Tradewind's loader does).
"""
import os
import sys
import time

import pandas as pd

root = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
files = sorted(os.path.join(root, f) for f in os.listdir(root) if f.endswith(".csv"))
size_mb = sum(os.path.getsize(f) for f in files) / 1e6
first_col = pd.read_csv(files[0], nrows=1).columns[0]
for label, kwargs in [("read_csv", {}), ("read_csv+parse_dates", {"parse_dates": [first_col]})]:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        for f in files:
            pd.read_csv(f, **kwargs)
        best = min(best, time.perf_counter() - t0)
    print(f"pandas {pd.__version__} {label} {best:.4f} {size_mb / best:.1f}", flush=True)
