"""Engine speed on this machine, and the same work in PyTorch or in per-sample Python for reference.

Training passes only (no evaluation, no diagnostics), full training set of the preset.
"""

from __future__ import annotations

import resource
import statistics
import time
from dataclasses import replace
from typing import Any

import numpy as np

from ..data.splits import Splits
from ..engine.events import EpochEnd
from .records import blas_info
from .session import Session, prepare
from .spec import Spec


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux reports KiB


def _median_after_first(seconds: list[float]) -> float:
    return statistics.median(seconds[1:] if len(seconds) > 1 else seconds)


def training_only(session: Session) -> Session:
    """The same session with evaluation and diagnostics switched off."""
    session.feed.splits = Splits(session.feed.splits.train, None, None)
    session.settings = replace(session.settings, diagnostics=False)
    return session


def bench_engine(spec: Spec, epochs: int, home: str | None = None) -> tuple[dict[str, Any], Session]:
    spec = replace(spec, training=replace(spec.training, epochs=epochs))
    session = training_only(prepare(spec, home))
    initial = session.network.state_dict()
    seconds = [e.seconds for e in session.events() if isinstance(e, EpochEnd)]
    per_epoch = _median_after_first(seconds)
    result = {
        "architecture": session.network.describe(),
        "optimizer": session.optimizer.get_config(),
        "batch_size": spec.training.batch_size,
        "dtype": spec.training.dtype,
        "train_samples": session.feed.train_samples,
        "epochs": len(seconds),
        "epoch_seconds": seconds,
        "seconds_per_epoch": per_epoch,
        "samples_per_second": session.feed.train_samples / per_epoch,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "blas": blas_info(),
    }
    session.network.load_state_dict(initial)  # references start from the same weights
    return result, session


def bench_naive(session: Session, samples: int = 2000) -> dict[str, Any]:
    """Nielsen's network.py update, one sample at a time (float64, column vectors), on the first
    ``samples`` training images of the preset; extrapolated to a full epoch."""
    weights = [layer.params["W"].T.astype(np.float64) for layer in session.network.layers if "W" in layer.params]
    biases = [layer.params["b"][:, None].astype(np.float64) for layer in session.network.layers if "W" in layer.params]
    x, labels = session.feed.probe() if samples <= 1000 else _first(session, samples)
    x = x.astype(np.float64)
    batch = session.spec.training.batch_size
    eta = session.spec.optimizer.learning_rate

    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    started = time.perf_counter()
    for start in range(0, len(x), batch):
        nabla_w = [np.zeros(w.shape) for w in weights]
        nabla_b = [np.zeros(b.shape) for b in biases]
        for row, label in zip(x[start:start + batch], labels[start:start + batch]):
            activation, activations, zs = row[:, None], [row[:, None]], []
            for w, b in zip(weights, biases):
                z = w @ activation + b
                zs.append(z)
                activation = sigmoid(z)
                activations.append(activation)
            y = np.zeros((weights[-1].shape[0], 1))
            y[label] = 1.0
            delta = (activations[-1] - y) * sigmoid(zs[-1]) * (1 - sigmoid(zs[-1]))
            nabla_b[-1] += delta
            nabla_w[-1] += delta @ activations[-2].T
            for layer in range(2, len(weights) + 1):
                s = sigmoid(zs[-layer])
                delta = (weights[-layer + 1].T @ delta) * s * (1 - s)
                nabla_b[-layer] += delta
                nabla_w[-layer] += delta @ activations[-layer - 1].T
        count = len(x[start:start + batch])
        weights = [w - (eta / count) * nw for w, nw in zip(weights, nabla_w)]
        biases = [b - (eta / count) * nb for b, nb in zip(biases, nabla_b)]
    elapsed = time.perf_counter() - started
    return {"naive_samples_timed": len(x), "naive_seconds_per_epoch": elapsed * session.feed.train_samples / len(x)}


def _first(session: Session, samples: int) -> tuple[np.ndarray, np.ndarray]:
    images, labels = session.feed.splits.train.rows(slice(0, samples))
    return session.feed.to_float(images), labels.astype(np.intp)
