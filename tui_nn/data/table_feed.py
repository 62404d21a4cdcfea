"""Mini-batches of a table's rows: the same splits and the same ``Feed`` the training loop takes
from images (batching.ArrayFeed), with the inputs standardized per column (data/features.py)
and regression targets as floats, standardized too."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .batching import CHUNK, SplitReader
from .features import TableScaling
from .splits import Splits


class TableFeed(SplitReader):
    """Serves a table's splits to the training loop. Classification targets are class indices
    (intp); regression targets are float arrays, (y - mean) / std of the training targets when
    ``standardize_targets``, and ``target_scale`` says by how much errors are scaled back."""

    def __init__(self, splits: Splits, batch_size: int, features: tuple[str, ...] = (),
                 dtype: np.dtype | str = np.float32, standardize_targets: bool = True,
                 scaling: TableScaling | None = None):
        self.splits = splits
        self.batch_size = batch_size
        self.dtype = np.dtype(dtype)
        self.train_samples = len(splits.train)
        rows, targets = splits.train.rows(slice(None))
        self.regression = targets.dtype.kind == "f"
        self.table_scaling = scaling or TableScaling.fit(rows, features, targets if self.regression else None,
                                                         standardize_targets)

    @property
    def target_scale(self) -> float:
        return self.table_scaling.target_std

    def to_float(self, rows: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """Raw rows (N, F) -> the network's inputs (N, F'), standardized."""
        x = self.table_scaling.inputs(rows, self.dtype)
        if out is not None:
            out[...] = x
            return out
        return x

    def targets(self, labels: np.ndarray) -> np.ndarray:
        if self.regression:
            return self.table_scaling.scaled_targets(labels, self.dtype)
        return labels.astype(np.intp)

    def batches_per_epoch(self) -> int:
        return -(-self.train_samples // self.batch_size)

    def train_batches(self, rng: np.random.Generator) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Shuffled mini-batches, converted a chunk of about CHUNK rows at a time."""
        order = rng.permutation(self.train_samples)
        per_chunk = max(1, CHUNK // self.batch_size) * self.batch_size
        for chunk in range(0, self.train_samples, per_chunk):
            rows, labels = self.splits.train.rows(order[chunk:chunk + per_chunk])
            x, y = self.to_float(rows), self.targets(labels)
            for start in range(0, len(x), self.batch_size):
                yield x[start:start + self.batch_size], y[start:start + self.batch_size]

