"""Engine speed on this machine, alone: training passes only (no evaluation, no diagnostics),
the full training set of the preset. Comparisons with references are in compare.py, the
phase breakdown in profile.py.
"""

from __future__ import annotations

import resource
import statistics
from dataclasses import replace
from typing import Any

from ..data.splits import Splits
from ..engine.events import Diverged, EpochEnd, Started
from ..experiment.records import blas_info
from ..experiment.session import Session, prepare
from ..experiment.spec.schema import Spec


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux reports KiB


def median_after_first(seconds: list[float]) -> float:
    return statistics.median(seconds[1:] if len(seconds) > 1 else seconds)


def training_only(session: Session) -> Session:
    """The same session with evaluation and diagnostics switched off."""
    session.feed.splits = Splits(session.feed.splits.train, None, None)
    session.settings = replace(session.settings, diagnostics=False)
    return session


class BenchDiverged(Exception):
    """The benchmarked run diverged: its timings would describe a broken run."""


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
        elif isinstance(event, Diverged):
            raise BenchDiverged(event.reason)
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
