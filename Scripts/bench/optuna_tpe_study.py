#!/usr/bin/env python3
"""Optuna peer of `tradewind bench tpe --study`: Optuna's TPESampler (its defaults; in Optuna 5 that is the
multivariate TPE for one objective) searches each series' sma-cross surface, which Tradewind computed on the grid
and passes in a JSON file, so both samplers see the same objective for the same point.

Usage: optuna_tpe_study.py SURFACES.json
  SURFACES.json: {"low", "high", "trials", "seeds", "series": [{"name", "points": [[fast, slow, objective|null], ...]}]}
Prints one JSON line per series: {"name", "best": [per seed], "distinct": [per seed], "version"}.

The constraint fast < slow: Tradewind's sampler rejects infeasible candidates before any evaluation. Here they are
reported to Optuna as infeasible through `constraints_func` (Optuna then ranks them below every feasible trial) and
do not count against the budget: both samplers get `trials` evaluations of feasible points. A feasible point whose
objective is not finite is told as a failed trial, as Tradewind tells it NaN (at most 20 x trials asks in all).
"""
import json
import math
import sys

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def constraint(trial):
    return [trial.user_attrs["violation"]]


def search(surface, low, high, trials, seed):
    sampler = optuna.samplers.TPESampler(seed=seed, constraints_func=constraint)
    study = optuna.create_study(direction="maximize", sampler=sampler)
    fast_d = optuna.distributions.IntDistribution(low, high)
    slow_d = optuna.distributions.IntDistribution(low, high)
    best, seen, evaluated, asks = -math.inf, set(), 0, 0
    while evaluated < trials and asks < 20 * trials:
        asks += 1
        trial = study.ask({"fast": fast_d, "slow": slow_d})
        fast, slow = trial.params["fast"], trial.params["slow"]
        violation = float(fast - slow + 1)
        trial.set_user_attr("violation", violation)
        if violation > 0:
            study.tell(trial, 0.0)
            continue
        evaluated += 1
        seen.add((fast, slow))
        value = surface.get((fast, slow))
        if value is None:
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
            continue
        study.tell(trial, value)
        best = max(best, value)
    return best, len(seen)


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    for series in spec["series"]:
        surface = {(p[0], p[1]): p[2] for p in series["points"] if p[2] is not None}
        bests, distinct = [], []
        for seed in spec["seeds"]:
            b, d = search(surface, spec["low"], spec["high"], spec["trials"], seed)
            bests.append(b if math.isfinite(b) else None)
            distinct.append(d)
        print(json.dumps({"name": series["name"], "best": bests, "distinct": distinct,
                          "version": optuna.__version__}), flush=True)


if __name__ == "__main__":
    main()
