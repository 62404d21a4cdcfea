"""Train/validation/test splits and training subsets, as views or index arrays (never copies)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .datasets import Dataset


@dataclass(frozen=True)
class Part:
    """Images and labels of one split; ``index`` selects rows of them when it is not None."""

    images: np.ndarray
    labels: np.ndarray
    index: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.labels) if self.index is None else len(self.index)

    def rows(self, positions: np.ndarray | slice) -> tuple[np.ndarray, np.ndarray]:
        """Gather the images and labels at ``positions`` within this split."""
        if self.index is not None:
            positions = self.index[positions]
        return self.images[positions], self.labels[positions]

    def all_labels(self) -> np.ndarray:
        return self.labels if self.index is None else self.labels[self.index]


@dataclass(frozen=True)
class Splits:
    train: Part
    validation: Part | None
    test: Part | None


def make_splits(dataset: Dataset, train_size: int | None = None, validation_size: int = 10_000,
                test_size: int | None = None, subset: str = "first",
                rng: np.random.Generator | None = None) -> Splits:
    """Nielsen's split by default: validation is the *last* ``validation_size`` training images,
    training draws from the ones before them, test is the test file.

    ``train_size`` picks a training subset: the first N (``subset = "first"``) or N drawn with equal
    shares per class (``"stratified"``, seeded by ``rng``). ``test_size`` keeps the first N test images.
    """
    available = len(dataset.train_labels) - validation_size
    if validation_size < 0 or available <= 0:
        raise ValueError(f"validation_size {validation_size} leaves no training images "
                         f"(the training file has {len(dataset.train_labels)})")
    size = available if train_size is None else train_size
    if not 0 < size <= available:
        raise ValueError(f"train_size {size} must be between 1 and {available}")
    pool_images, pool_labels = dataset.train_images[:available], dataset.train_labels[:available]
    if subset == "first":
        train = Part(pool_images[:size], pool_labels[:size])
    elif subset == "stratified":
        train = Part(pool_images, pool_labels, stratified_index(pool_labels, size, rng or np.random.default_rng(0)))
    else:
        raise ValueError(f"unknown subset {subset!r}; allowed: first, stratified")
    validation = None
    if validation_size:
        validation = Part(dataset.train_images[available:], dataset.train_labels[available:])
    tests = len(dataset.test_labels) if test_size is None else min(test_size, len(dataset.test_labels))
    test = Part(dataset.test_images[:tests], dataset.test_labels[:tests]) if tests else None
    return Splits(train, validation, test)


def stratified_index(labels: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """``size`` positions with the classes as evenly represented as ``size`` allows, in random order."""
    classes = np.unique(labels)
    per_class = np.full(len(classes), size // len(classes))
    per_class[: size % len(classes)] += 1
    chosen = []
    for cls, count in zip(classes, per_class):
        members = np.flatnonzero(labels == cls)
        chosen.append(rng.choice(members, size=min(count, len(members)), replace=False))
    index = np.concatenate(chosen)
    if len(index) < size:  # a class too small for its share: fill from the rest
        rest = np.setdiff1d(np.arange(len(labels)), index)
        index = np.concatenate([index, rng.choice(rest, size - len(index), replace=False)])
    return np.sort(index)
