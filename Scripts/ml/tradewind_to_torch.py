"""Loads the model file Tradewind wrote into PyTorch and commits PyTorch's predictions from it (the Tradewind →
PyTorch direction of TradewindML's safetensors parity; Tests/TradewindMLTests' TradewindToPyTorchTests checks
that Tradewind still writes those exact bytes and predicts what PyTorch did).

Regenerate (from the repository root):
    TRADEWIND_ML_EXPORT_DIR=/tmp/tw swift test --filter tradewindWrittenFileIsTheOnePyTorchPredictedFrom
    cp /tmp/tw/tradewind_written.safetensors Tests/Fixtures/ml/
    python3 Scripts/ml/tradewind_to_torch.py   (torch 2.x CPU, safetensors)
"""
import os
import sys

import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file

sys.path.insert(0, os.path.dirname(__file__))
from reference_modules import SmallRecurrentNet  # noqa: E402

FIX = os.path.join("Tests", "Fixtures", "ml")


def main():
    path = os.path.join(FIX, "tradewind_written.safetensors")
    with safe_open(path, framework="pt") as f:
        assert f.metadata().get("format") == "pt", f.metadata()
    net = SmallRecurrentNet()
    net.load_state_dict(load_file(path), strict=True)  # every name and shape must be PyTorch's
    net.eval()
    torch.manual_seed(19)
    held_out = torch.randn(5, 7, 3)
    with torch.no_grad():
        logits, value = net(held_out)
    save_file({"input": held_out, "logits": logits, "value": value}, os.path.join(FIX, "tradewind_written_torch.safetensors"),
              metadata={"torch": torch.__version__, "model": "tradewind_written.safetensors"})
    print(f"torch {torch.__version__} predicted from {path}")


if __name__ == "__main__":
    main()
