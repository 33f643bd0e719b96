"""Peer timing for the CSV loader benchmark: pandas.read_csv on the same file.

Usage: python3 Scripts/bench/pandas_read_csv.py FILE [RUNS]
Prints the best wall-clock seconds (and the CPU seconds of that run) of plain read_csv and of
read_csv with the timestamp column parsed (closer to what CSVBarReader does), plus MB/s.
"""
import os
import sys
import time

import pandas as pd

path = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
size_mb = os.path.getsize(path) / 1e6
first_col = pd.read_csv(path, nrows=1).columns[0]
for label, kwargs in [("read_csv", {}), ("read_csv parse_dates", {"parse_dates": [first_col]})]:
    best, best_cpu = float("inf"), 0.0
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        pd.read_csv(path, **kwargs)
        t = time.perf_counter() - t0
        if t < best:
            best, best_cpu = t, time.process_time() - c0
    print(f"pandas {pd.__version__} {label}: best {best:.3f} s (cpu {best_cpu:.3f} s), {size_mb / best:.1f} MB/s")
