"""Checks that a safetensors file written by Tradewind loads in PyTorch and predicts what PyTorch's own file does.

Produce the file with the Swift test that re-saves PyTorch's trained model:
    TRADEWIND_ML_EXPORT_DIR=/tmp/tw swift test --filter tradewindWrittenModelRoundTrips
then:
    python3 Scripts/ml/check_tradewind_safetensors.py /tmp/tw/trained_by_tradewind.safetensors
"""
import os
import sys

import torch
from safetensors.torch import load_file

sys.path.insert(0, os.path.dirname(__file__))
from reference_modules import SmallRecurrentNet  # noqa: E402

FIX = os.path.join("Tests", "Fixtures", "ml")


def main(path):
    net = SmallRecurrentNet()
    net.load_state_dict(load_file(path), strict=True)
    check = load_file(os.path.join(FIX, "trained_check.safetensors"))
    with torch.no_grad():
        logits, value = net(check["input"])
    assert torch.allclose(logits, check["logits"], rtol=1e-5, atol=1e-6), "logits differ"
    assert torch.allclose(value, check["value"], rtol=1e-5, atol=1e-6), "values differ"
    print(f"ok: {path} loads in torch {torch.__version__} (strict state_dict) and predicts the same")


if __name__ == "__main__":
    main(sys.argv[1])
