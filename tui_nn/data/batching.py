"""Mini-batches as float arrays, converted from uint8 one batch at a time."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import numpy as np

from .augment import Augmentation
from .splits import Part, Splits

EVAL_BATCH = 5000
CHUNK = 512  # training samples gathered and converted at once: 1.6 MB of float32 pixels, which stay in L2
PROBE_SIZE = 1000


class ChunkBuffers:
    """Two alternating buffers for the training chunks, reused when nothing outside still views
    them. A fresh 13 MB array per chunk costs a page fault per 4 KB (measured 8.5 vs 2.7 us of data
    time per batch of 10); alternating two keeps the previous chunk's last batch (which layers
    still hold for their backward pass) intact, and a buffer some caller kept batches of is
    replaced, not overwritten, so a batch stays valid as long as anyone holds it."""

    def __init__(self) -> None:
        self._arrays: list[np.ndarray | None] = [None, None]
        self._turn = 0

    def take(self, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
        self._turn ^= 1
        array = self._arrays[self._turn]
        # References: the list, getrefcount's argument and this name; any more are live views.
        if array is None or array.size < int(np.prod(shape)) or array.dtype != dtype or sys.getrefcount(array) > 3:
            array = self._arrays[self._turn] = np.empty(int(np.prod(shape)), dtype)
        return array[:int(np.prod(shape))].reshape(shape)


def scale_pixels(images: np.ndarray, scale: float, offset: float, dtype: np.dtype,
                 out: np.ndarray | None = None) -> np.ndarray:
    """(B, H, W) pixels -> (B, H*W) inputs, pixels * scale + offset, in ``dtype``."""
    x = np.multiply(images.reshape(len(images), -1), scale, dtype=dtype, out=out)
    if offset:
        x += offset
    return x


class SplitReader:
    """What every feed serves the same way from its ``splits``: evaluation batches of a split and
    the probe, through the feed's own ``to_float`` (its inputs) and ``targets`` (its labels)."""

    splits: Splits

    def to_float(self, rows: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        raise NotImplementedError

    def targets(self, labels: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def part(self, split: str) -> Part | None:
        return {"train": self.splits.train, "val": self.splits.validation, "test": self.splits.test}[split]

    def eval_batches(self, split: str) -> Iterator[tuple[np.ndarray, np.ndarray]] | None:
        part = self.part(split)
        if part is None:
            return None
        return self._chunks(part)

    def _chunks(self, part: Part) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for start in range(0, len(part), EVAL_BATCH):
            rows, labels = part.rows(slice(start, start + EVAL_BATCH))
            yield self.to_float(rows), self.targets(labels)

    def probe(self) -> tuple[np.ndarray, np.ndarray]:
        rows, labels = self.splits.train.rows(slice(0, min(PROBE_SIZE, len(self.splits.train))))
        return self.to_float(rows), self.targets(labels)


class ArrayFeed(SplitReader):
    """Serves the splits to the training loop (the engine's ``Feed``): shuffled training batches,
    augmented per batch, and evaluation batches, flattened to (B, H*W) and scaled.

    ``normalization``: ``"unit"`` maps pixels to [0, 1] as the classic code does; ``"standard"``
    also subtracts the training set's mean pixel and divides by its standard deviation.
    """

    def __init__(self, splits: Splits, batch_size: int, normalization: str = "unit",
                 augmentation: Augmentation = Augmentation(), dtype: np.dtype | str = np.float32):
        self.splits = splits
        self.batch_size = batch_size
        self.augmentation = augmentation
        self.dtype = np.dtype(dtype)
        self.train_samples = len(splits.train) * augmentation.factor
        self._scale, self._offset = self._normalizer(normalization)
        self._chunk_buffers = ChunkBuffers()

    def _normalizer(self, normalization: str) -> tuple[float, float]:
        if normalization == "unit":
            return 1.0 / 255.0, 0.0
        if normalization == "standard":
            sample, _ = self.splits.train.rows(slice(0, min(len(self.splits.train), 10_000)))
            mean, std = float(sample.mean()), float(sample.std()) or 1.0
            return 1.0 / std, -mean / std
        raise ValueError(f"unknown normalization {normalization!r}; allowed: unit, standard")

    def to_float(self, images: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """(B, H, W) pixels in [0, 255] -> (B, H*W) floats, normalized (into ``out`` when given)."""
        return scale_pixels(images, self._scale, self._offset, self.dtype, out)

    @property
    def scaling(self) -> tuple[float, float]:
        """(scale, offset): an input is pixels * scale + offset (kept with a saved model)."""
        return self._scale, self._offset

    def batches_per_epoch(self) -> int:
        return -(-self.train_samples // self.batch_size)

    def train_batches(self, rng: np.random.Generator) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Shuffled mini-batches. Several batches are gathered, augmented and converted at once
        (a chunk of about CHUNK samples) and handed out as views: at small batch sizes the
        per-batch gathering would otherwise cost as much as the arithmetic."""
        order = rng.permutation(self.train_samples)
        base = len(self.splits.train)
        per_chunk = max(1, CHUNK // self.batch_size) * self.batch_size
        for chunk in range(0, self.train_samples, per_chunk):
            picks = order[chunk:chunk + per_chunk]
            images, labels = self.splits.train.rows(picks % base)
            if self.augmentation.factor > 1 or self.augmentation.random:
                images = self.augmentation.apply(images, picks // base, rng)
            x = self.to_float(images, self._chunk_buffers.take((len(images), images[0].size), self.dtype))
            labels = labels.astype(np.intp)
            for start in range(0, len(picks), self.batch_size):
                yield x[start:start + self.batch_size], labels[start:start + self.batch_size]

    def targets(self, labels: np.ndarray) -> np.ndarray:
        return labels.astype(np.intp)
