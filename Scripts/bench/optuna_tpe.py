#!/usr/bin/env python3
"""Optuna peer for `tradewind bench tpe`: TPESampler on the sma-cross space (fast, slow in 2..100,
fast < slow as a constraint) with the same synthetic objective as TPEBenchmark.surrogateSharpe.
Usage: optuna_tpe.py TRIALS MULTIVARIATE(0|1) SEED...  -> one JSON line per seed:
{"seed", "seconds" (wall), "cpu" (thread CPU), "best" (best feasible value), "version"}
"""
import json, sys, time, math
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
trials, multivariate = int(sys.argv[1]), sys.argv[2] == "1"
def f(fast, slow):
    a = (fast - 12) / 9; b = (slow - 48) / 22; c = (fast - 55) / 12; d = (slow - 88) / 9
    return 1.1 * math.exp(-(a * a + b * b)) + 0.7 * math.exp(-(c * c + d * d)) + 0.08 * math.sin(fast / 5) * math.cos(slow / 9) - 0.2
def objective(trial):
    fast = trial.suggest_int("fast", 2, 100)
    slow = trial.suggest_int("slow", 2, 100)
    trial.set_user_attr("c", fast - slow + 1)
    trial.set_constraint("fast_lt_slow", fast - slow + 1)
    return f(fast, slow)
for seed in map(int, sys.argv[3:]):
    sampler = optuna.samplers.TPESampler(seed=seed, multivariate=multivariate)
    study = optuna.create_study(direction="maximize", sampler=sampler)
    t0, c0 = time.perf_counter(), time.thread_time()
    study.optimize(objective, n_trials=trials)
    dt, cpu = time.perf_counter() - t0, time.thread_time() - c0
    best = max((t.value for t in study.trials if t.user_attrs["c"] <= 0), default=float("nan"))
    print(json.dumps({"seed": seed, "seconds": dt, "cpu": cpu, "best": best, "version": optuna.__version__}), flush=True)
