"""Peer of `tradewind bench ml`: the universal BiGRU in TensorFlow/Keras (CPU), same shapes, synthetic data, Adam,
batch 64. Rates come from the median step / run (as Tradewind's). Prints `training_samples_per_s`, `inference_samples_per_s` lines.
Usage: python3 Scripts/bench/ml_universal_bigru_tensorflow.py THREADS TRAIN_STEPS INFERENCE_RUNS
"""
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow import keras  # noqa: E402
from tensorflow.keras import layers  # noqa: E402


def build():
    inp = keras.Input((60, 18))
    h = layers.LayerNormalization(epsilon=1e-5)(layers.Bidirectional(layers.GRU(128, return_sequences=True))(inp))
    h = layers.LayerNormalization(epsilon=1e-5)(layers.Bidirectional(layers.GRU(64, return_sequences=True))(h))
    scores = layers.Dense(1, use_bias=False)(layers.Dense(64, activation="tanh")(h))
    alpha = layers.Softmax(axis=1)(scores)
    pooled = layers.Lambda(lambda t: tf.reduce_sum(t[0] * t[1], axis=1))([alpha, h])
    last = layers.Lambda(lambda t: t[:, -1, :])(h)
    z = layers.Dense(128, activation="relu")(layers.Concatenate()([pooled, last]))
    z = layers.Dropout(0.2)(layers.LayerNormalization(epsilon=1e-5)(z))
    z = layers.Dropout(0.15)(layers.Dense(64, activation="relu")(z))
    model = keras.Model(inp, [layers.Dense(3, activation="softmax")(z), layers.Dense(1)(z)])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=["sparse_categorical_crossentropy", "mse"])
    return model


def main():
    threads, train_steps, infer_runs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    tf.random.set_seed(0)
    rng = np.random.default_rng(0)
    model = build()
    batches = [(rng.uniform(-1, 1, (64, 60, 18)).astype("float32"), rng.integers(0, 3, 64),
                rng.uniform(-1, 1, 64).astype("float32")) for _ in range(4)]
    model.train_on_batch(batches[0][0], [batches[0][1], batches[0][2]])
    times = []
    for i in range(train_steps):
        x, y, t = batches[(i + 1) % 4]
        t0 = time.perf_counter()
        model.train_on_batch(x, [y, t])
        times.append(time.perf_counter() - t0)
    train = 64 / statistics.median(times)
    xi = tf.constant(rng.uniform(-1, 1, (256, 60, 18)).astype("float32"))
    infer_fn = tf.function(lambda x: model(x, training=False))
    infer_fn(xi)
    times = []
    for _ in range(infer_runs):
        t1 = time.perf_counter()
        [o.numpy() for o in infer_fn(xi)]
        times.append(time.perf_counter() - t1)
    infer = 256 / statistics.median(times)
    print(f"training_samples_per_s {train:.3f}")
    print(f"inference_samples_per_s {infer:.3f}")
    print(f"version tensorflow {tf.__version__}")


if __name__ == "__main__":
    main()
