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


#: With no validation size given, this share of the training file is held out (MNIST: 10,000 of 60,000,
#: the split of Nielsen's book).
VALIDATION_SHARE = 1 / 6


class SplitError(ValueError):
    """Split sizes the data cannot hold: the spec key, the value and what fits."""

    def __init__(self, key: str, value: int, allowed: str):
        self.key, self.value, self.allowed = key, value, allowed
        super().__init__(f"{key} = {value}: {allowed}")


@dataclass(frozen=True)
class SplitSizes:
    train: int
    validation: int
    test: int


def resolve_sizes(train_file: int, test_file: int, train_size: int | None = None,
                  validation_size: int | None = None, test_size: int | None = None) -> SplitSizes:
    """The sizes a spec asks for, with the ones it leaves out (None) fitted to the files: validation a
    sixth of the training file, training all the rest, test the whole test file."""
    validation = round(train_file * VALIDATION_SHARE) if validation_size is None else validation_size
    if not 0 <= validation < train_file:
        raise SplitError("data.validation_size", validation, f"must leave training images; at most "
                         f"{train_file - 1} (the training file has {train_file})")
    available = train_file - validation
    train = available if train_size is None else train_size
    if not 0 < train <= available:
        raise SplitError("data.train_size", train, f"at most {available} with data.validation_size = {validation} "
                         f"(the training file has {train_file})")
    test = test_file if test_size is None else test_size
    if not 0 <= test <= test_file:
        raise SplitError("data.test_size", test, f"at most {test_file} (the test file has {test_file})")
    return SplitSizes(train, validation, test)


def make_splits(dataset: Dataset, train_size: int | None = None, validation_size: int | None = None,
                test_size: int | None = None, subset: str = "first",
                rng: np.random.Generator | None = None) -> Splits:
    """Nielsen's split: validation is the *last* ``validation_size`` training images, training
    draws from the ones before them, test is the test file; sizes left out fit the files
    (``resolve_sizes``).

    ``train_size`` picks a training subset: the first N (``subset = "first"``) or N drawn with equal
    shares per class (``"stratified"``, seeded by ``rng``). ``test_size`` keeps the first N test images.
    """
    sizes = resolve_sizes(len(dataset.train_labels), len(dataset.test_labels), train_size, validation_size,
                          test_size)
    available = len(dataset.train_labels) - sizes.validation
    pool_images, pool_labels = dataset.train_images[:available], dataset.train_labels[:available]
    if subset == "first":
        train = Part(pool_images[:sizes.train], pool_labels[:sizes.train])
    elif subset == "stratified":
        train = Part(pool_images, pool_labels, stratified_index(pool_labels, sizes.train,
                                                                rng or np.random.default_rng(0)))
    else:
        raise ValueError(f"unknown subset {subset!r}; allowed: first, stratified")
    validation = None
    if sizes.validation:
        validation = Part(dataset.train_images[available:], dataset.train_labels[available:])
    test = Part(dataset.test_images[:sizes.test], dataset.test_labels[:sizes.test]) if sizes.test else None
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
