#!/usr/bin/env bash
# Trains a tiny universal model for two epochs with `tradewind ml train --logdir`, then reads the event file back with
# TensorBoard's own Python reader (PyPI tensorboard): the loss, accuracy and learning-rate curves must be there, one
# point per epoch, with the values the trainer printed. Usage: Scripts/ml/check_tensorboard_events.sh [path/to/tradewind]
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=${1:-.build/debug/tradewind}
venv=.venv-tensorboard
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q tensorboard==2.21.0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$binary" ml train --data sample:sp500-50 --symbols KO --epochs 2 --widths 4,2,2,4,2 --out "$work/model" \
    --logdir "$work/logs" 2>"$work/progress.txt" >/dev/null
"$venv/bin/python" - "$work/logs" "$work/progress.txt" <<'PY'
import re, sys
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
acc = EventAccumulator(sys.argv[1])
acc.Reload()
tags = set(acc.Tags()["scalars"])
need = {"loss/training", "loss/validation", "accuracy/training", "accuracy/validation", "learning_rate"}
assert need <= tags, f"missing curves: {need - tags}"
for tag in need:
    steps = [e.step for e in acc.Scalars(tag)]
    assert steps == [0, 1], f"{tag}: steps {steps}"
printed = [float(x) for x in re.findall(r"epoch \d+: loss ([0-9.]+)", open(sys.argv[2]).read())]
logged = [e.value for e in acc.Scalars("loss/training")]
assert len(printed) == 2 and all(abs(a - b) < 1e-3 for a, b in zip(printed, logged)), (printed, logged)
assert abs(acc.Scalars("learning_rate")[0].value - 5e-4) < 1e-9
print("tensorboard reads", sorted(tags))
PY
