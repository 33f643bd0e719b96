"""Peer of `tradewind bench ml`: the universal BiGRU in PyTorch (CPU), same shapes, synthetic data, Adam, batch 64.

Rates come from the median step / run (as Tradewind's). Prints `training_samples_per_s`, `inference_samples_per_s`, `gemm_gflops` lines.
Usage: python3 Scripts/bench/ml_universal_bigru_torch.py THREADS TRAIN_STEPS INFERENCE_RUNS
"""
import statistics
import sys
import time

import torch
from torch import nn


class Pool(nn.Module):
    def __init__(self, features, units):
        super().__init__()
        self.attention = nn.Linear(features, units)
        self.context = nn.Linear(units, 1, bias=False)

    def forward(self, x):
        a = torch.softmax(self.context(torch.tanh(self.attention(x))).squeeze(-1), dim=1)
        return torch.bmm(a.unsqueeze(1), x).squeeze(1)


class UniversalBiGRU(nn.Module):
    def __init__(self, features=18):
        super().__init__()
        self.gru1 = nn.GRU(features, 128, batch_first=True, bidirectional=True)
        self.norm1 = nn.LayerNorm(256)
        self.gru2 = nn.GRU(256, 64, batch_first=True, bidirectional=True)
        self.norm2 = nn.LayerNorm(128)
        self.pool = Pool(128, 64)
        self.dense1 = nn.Linear(256, 128)
        self.norm3 = nn.LayerNorm(128)
        self.drop1 = nn.Dropout(0.2)
        self.dense2 = nn.Linear(128, 64)
        self.drop2 = nn.Dropout(0.15)
        self.classes = nn.Linear(64, 3)
        self.value = nn.Linear(64, 1)

    def forward(self, x):
        h = self.norm1(self.gru1(x)[0])
        h = self.norm2(self.gru2(h)[0])
        z = torch.cat([self.pool(h), h[:, -1, :]], dim=1)
        z = self.drop1(self.norm3(torch.relu(self.dense1(z))))
        z = self.drop2(torch.relu(self.dense2(z)))
        return self.classes(z), self.value(z).squeeze(-1)


def main():
    threads, train_steps, infer_runs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = UniversalBiGRU()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    batches = [(torch.rand(64, 60, 18) * 2 - 1, torch.randint(0, 3, (64,)), torch.rand(64) * 2 - 1) for _ in range(4)]

    def step(i):
        x, y, t = batches[i % 4]
        opt.zero_grad()
        logits, v = model(x)
        loss = nn.functional.cross_entropy(logits, y) + nn.functional.mse_loss(v, t)
        loss.backward()
        opt.step()

    model.train()
    step(0)
    times = []
    for i in range(train_steps):
        t0 = time.perf_counter()
        step(i + 1)
        times.append(time.perf_counter() - t0)
    train = 64 / statistics.median(times)
    model.eval()
    xi = torch.rand(256, 60, 18) * 2 - 1
    with torch.inference_mode():
        model(xi)
        times = []
        for _ in range(infer_runs):
            t1 = time.perf_counter()
            model(xi)
            times.append(time.perf_counter() - t1)
        infer = 256 / statistics.median(times)
        a = torch.rand(1024, 1024)
        best = float("inf")
        for _ in range(5):
            t = time.perf_counter()
            a @ a
            best = min(best, time.perf_counter() - t)
    print(f"training_samples_per_s {train:.3f}")
    print(f"inference_samples_per_s {infer:.3f}")
    print(f"gemm_gflops {2 * 1024 ** 3 / best / 1e9:.3f}")
    print(f"version torch {torch.__version__}")


if __name__ == "__main__":
    main()
