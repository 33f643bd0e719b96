"""Peer of `tradewind bench ml-train`: full training of the universal BiGRU in TensorFlow/Keras (CPU) on the windows
Tradewind wrote (DIR/meta.json and DIR/{train,valid}_{x,y,t}.bin), with Tradewind's objective: class-weighted
sparse cross-entropy + 0.3 x Huber (delta 1), Adam 5e-4, batch 64, shuffled every epoch, a validation pass after each
epoch (Keras `fit`). Prints `seconds` (training wall time, all epochs), `loss` (last epoch's mean training loss) and
`version`.
Usage: python3 Scripts/bench/ml_train_tensorflow.py DIR THREADS
"""
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow import keras  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ml_universal_bigru_tensorflow import build  # noqa: E402  (the same model as `bench ml`)


def load(directory, name, meta):
    n = meta[name]
    x = np.fromfile(os.path.join(directory, f"{name}_x.bin"), dtype="<f4").reshape(n, meta["window"], meta["features"])
    y = np.fromfile(os.path.join(directory, f"{name}_y.bin"), dtype="<i4")
    t = np.fromfile(os.path.join(directory, f"{name}_t.bin"), dtype="<f4")
    return x, y, t


def main():
    directory, threads = sys.argv[1], int(sys.argv[2])
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    tf.random.set_seed(0)
    with open(os.path.join(directory, "meta.json")) as f:
        meta = json.load(f)
    x, y, t = load(directory, "train", meta)
    vx, vy, vt = load(directory, "valid", meta)
    weights = np.asarray(meta["class_weights"], dtype="float32")
    model = build()
    model.compile(optimizer=keras.optimizers.Adam(meta["learning_rate"]),
                  loss=["sparse_categorical_crossentropy", keras.losses.Huber(delta=1.0)],
                  loss_weights=[1.0, meta["huber_weight"]])
    start = time.perf_counter()
    history = model.fit(x, [y, t], sample_weight=[weights[y], np.ones_like(t)], batch_size=meta["batch_size"],
                        epochs=meta["epochs"], shuffle=True, validation_data=(vx, [vy, vt]), verbose=0)
    print(f"seconds {time.perf_counter() - start:.3f}")
    print(f"loss {history.history['loss'][-1]:.6f}")
    print(f"version tensorflow {tf.__version__}")


if __name__ == "__main__":
    main()
