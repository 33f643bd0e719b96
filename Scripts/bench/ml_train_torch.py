"""Peer of `tradewind bench ml-train`: full training of the universal BiGRU in PyTorch (CPU) on the windows Tradewind
wrote (DIR/meta.json and DIR/{train,valid}_{x,y,t}.bin), with Tradewind's objective: class-weighted cross-entropy +
0.3 x Huber (delta 1), Adam 5e-4, batch 64, shuffled every epoch, a validation pass after each epoch.
Prints `seconds` (training wall time, all epochs), `loss` (last epoch's mean training loss) and `version`.
Usage: python3 Scripts/bench/ml_train_torch.py DIR THREADS
"""
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ml_universal_bigru_torch import UniversalBiGRU  # noqa: E402  (the same model as `bench ml`)


def load(directory, name, meta):
    n = meta[name]
    x = np.fromfile(os.path.join(directory, f"{name}_x.bin"), dtype="<f4").reshape(n, meta["window"], meta["features"])
    y = np.fromfile(os.path.join(directory, f"{name}_y.bin"), dtype="<i4").astype(np.int64)
    t = np.fromfile(os.path.join(directory, f"{name}_t.bin"), dtype="<f4")
    return torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(t)


def main():
    directory, threads = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    with open(os.path.join(directory, "meta.json")) as f:
        meta = json.load(f)
    x, y, t = load(directory, "train", meta)
    vx, vy, vt = load(directory, "valid", meta)
    weights = torch.tensor(meta["class_weights"], dtype=torch.float32)
    model = UniversalBiGRU(meta["features"])
    opt = torch.optim.Adam(model.parameters(), lr=meta["learning_rate"])
    batch, huber = meta["batch_size"], meta["huber_weight"]

    def objective(logits, v, yy, tt):
        return nn.functional.cross_entropy(logits, yy, weight=weights) + huber * nn.functional.huber_loss(v, tt, delta=1.0)

    start = time.perf_counter()
    last = 0.0
    for _ in range(meta["epochs"]):
        model.train()
        order = torch.randperm(len(x))
        total, seen = 0.0, 0
        for i in range(0, len(x), batch):
            idx = order[i:i + batch]
            opt.zero_grad()
            logits, v = model(x[idx])
            loss = objective(logits, v, y[idx], t[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
            seen += len(idx)
        last = total / seen
        model.eval()
        with torch.inference_mode():
            for i in range(0, len(vx), 256):
                logits, v = model(vx[i:i + 256])
                objective(logits, v, vy[i:i + 256], vt[i:i + 256]).item()
    print(f"seconds {time.perf_counter() - start:.3f}")
    print(f"loss {last:.6f}")
    print(f"version torch {torch.__version__}")


if __name__ == "__main__":
    main()
