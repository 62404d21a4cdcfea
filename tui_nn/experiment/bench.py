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
from ..engine.events import EpochEnd, Started
from .nielsen_network import Network, training_pairs
from .records import blas_info
from .session import Session, prepare
from .spec import Spec


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux reports KiB


def median_after_first(seconds: list[float]) -> float:
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
    seconds, blas = [], {}
    for event in session.events():
        if isinstance(event, Started):
            blas = blas_info()  # inside the run, where experiment/threads.py has set the thread count
        elif isinstance(event, EpochEnd):
            seconds.append(event.seconds)
    per_epoch = median_after_first(seconds)
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
        "blas": blas,
    }
    session.network.load_state_dict(initial)  # references start from the same weights
    return result, session


def bench_naive(session: Session, samples: int = 2000) -> dict[str, Any]:
    """Nielsen's network.py (see nielsen_network.py), one sample at a time, on the first ``samples``
    training images of the preset, starting from the engine's initial weights; extrapolated to a
    full epoch."""
    dense = [layer for layer in session.network.layers if "W" in layer.params]
    network = Network([layer.params["W"].T.astype(np.float64) for layer in dense],
                      [layer.params["b"][:, None].astype(np.float64) for layer in dense])
    x, labels = _first(session, samples)
    pairs = training_pairs(x, labels, session.network.output_units)
    batch = session.spec.training.batch_size
    eta = session.spec.optimizer.learning_rate
    started = time.perf_counter()
    for start in range(0, len(pairs), batch):
        network.update_mini_batch(pairs[start:start + batch], eta)
    elapsed = time.perf_counter() - started
    return {"naive_samples_timed": len(pairs), "naive_seconds_per_epoch": elapsed * session.feed.train_samples / len(pairs)}


def _first(session: Session, samples: int) -> tuple[np.ndarray, np.ndarray]:
    images, labels = session.feed.splits.train.rows(slice(0, samples))
    return session.feed.to_float(images), labels.astype(np.intp)
