"""Writes the Keras parity fixtures of TradewindML's `KerasGRU` (reset_after=False) under Tests/Fixtures/ml:
one layer, `Bidirectional` and stacked.

Each case holds the Keras weights under their Keras names (`kernel` [input, 3U], `recurrent_kernel` [U, 3U],
`bias` [3U], gate blocks ordered z, r, h), `input` (and `input1`: an initial state), `seed` (the output
gradient), `output`, and `grad.<name>` = d(sum(output * seed))/d(...) from tf.GradientTape.

Run from the repository root: python3 Scripts/ml/keras_parity.py   (tensorflow-cpu 2.x with Keras 3, safetensors)
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from safetensors.numpy import save_file  # noqa: E402

OUT = os.path.join("Tests", "Fixtures", "ml")


def case(name, units, shape, return_sequences, with_initial_state, seed):
    rng = np.random.default_rng(seed)
    layer = keras.layers.GRU(units, reset_after=False, return_sequences=return_sequences)
    x = tf.constant(rng.standard_normal(shape).astype(np.float32))
    h0 = tf.constant(rng.standard_normal((shape[0], units)).astype(np.float32)) if with_initial_state else None
    layer.build(x.shape)
    for w in layer.weights:  # non-trivial biases
        w.assign(rng.uniform(-0.5, 0.5, w.shape).astype(np.float32))
    names = {"kernel": None, "recurrent_kernel": None, "bias": None}
    for w in layer.weights:
        names[w.name.split("/")[-1].split(":")[0]] = w
    assert all(v is not None for v in names.values()), [w.name for w in layer.weights]
    inputs = [x] + ([h0] if h0 is not None else [])
    with tf.GradientTape() as tape:
        for t in inputs:
            tape.watch(t)
        out = layer(x, initial_state=[h0]) if h0 is not None else layer(x)
        seed_grad = tf.constant(rng.standard_normal(out.shape).astype(np.float32))
        objective = tf.reduce_sum(out * seed_grad)
    grads = tape.gradient(objective, list(names.values()) + inputs)
    tensors = {k: v.numpy() for k, v in names.items()}
    tensors.update({"input": x.numpy(), "seed": seed_grad.numpy(), "output": out.numpy()})
    for k, g in zip(list(names) + ["input", "input1"], grads):
        tensors["grad." + k] = np.asarray(g)
    if h0 is not None:
        tensors["input1"] = h0.numpy()
    save_file({k: np.ascontiguousarray(v, dtype=np.float32) for k, v in tensors.items()},
              os.path.join(OUT, f"layer_{name}.safetensors"))


def gru_weights(gru, stem):
    """A Keras GRU layer's weights under TradewindML's `KerasGRU` names (`stem` + kernel, recurrent_kernel, bias)."""
    out = {}
    for w in gru.weights:
        out[stem + w.name.split("/")[-1].split(":")[0]] = w
    assert len(out) == 3, [w.name for w in gru.weights]
    return out


def stacked_case(name, units, shape, layers, bidirectional, return_sequences, seed):
    """`layers` Keras GRUs (each wrapped in `Bidirectional` when asked), every one but the last returning
    sequences, as `KerasGRU(layers:bidirectional:)` computes; weights named layer<l>.[forward.|backward.]kernel…"""
    rng = np.random.default_rng(seed)
    stack = []
    for i in range(layers):
        seq = return_sequences or i < layers - 1
        gru = keras.layers.GRU(units, reset_after=False, return_sequences=seq)
        stack.append(keras.layers.Bidirectional(gru, merge_mode="concat") if bidirectional else gru)
    x = tf.constant(rng.standard_normal(shape).astype(np.float32))
    h = x
    for layer in stack:  # build every layer on its input
        h = layer(h)
    names = {}
    for i, layer in enumerate(stack):
        stem = f"layer{i}." if layers > 1 else ""
        if bidirectional:
            names.update(gru_weights(layer.forward_layer, stem + "forward."))
            names.update(gru_weights(layer.backward_layer, stem + "backward."))
        else:
            names.update(gru_weights(layer, stem))
    for w in names.values():  # non-trivial biases
        w.assign(rng.uniform(-0.5, 0.5, w.shape).astype(np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = x
        for layer in stack:
            out = layer(out)
        seed_grad = tf.constant(rng.standard_normal(out.shape).astype(np.float32))
        objective = tf.reduce_sum(out * seed_grad)
    grads = tape.gradient(objective, list(names.values()) + [x])
    tensors = {k: v.numpy() for k, v in names.items()}
    tensors.update({"input": x.numpy(), "seed": seed_grad.numpy(), "output": out.numpy()})
    for k, g in zip(list(names) + ["input"], grads):
        tensors["grad." + k] = np.asarray(g)
    save_file({k: np.ascontiguousarray(v, dtype=np.float32) for k, v in tensors.items()},
              os.path.join(OUT, f"layer_{name}.safetensors"))


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    case("keras_gru_sequence", 5, (2, 6, 4), return_sequences=True, with_initial_state=False, seed=11)
    case("keras_gru_last_initial", 5, (3, 6, 4), return_sequences=False, with_initial_state=True, seed=12)
    stacked_case("keras_gru_bi_sequence", 5, (2, 6, 4), layers=1, bidirectional=True, return_sequences=True, seed=13)
    stacked_case("keras_gru_bi2_last", 5, (3, 6, 4), layers=2, bidirectional=True, return_sequences=False, seed=14)
    stacked_case("keras_gru_stacked3_sequence", 3, (2, 5, 4), layers=3, bidirectional=False, return_sequences=True, seed=15)
    print("tensorflow", tf.__version__, "keras", keras.__version__, "fixtures in", OUT)
