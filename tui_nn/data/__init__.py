"""Datasets in MNIST's IDX format, splits, augmentation and batching. No UI imports, no engine imports."""

from .batching import ArrayFeed
from .datasets import Dataset, DatasetError, load_dataset
from .idx import IdxError, read_idx
from .splits import Splits, make_splits

__all__ = ["ArrayFeed", "Dataset", "DatasetError", "IdxError", "Splits", "load_dataset", "make_splits", "read_idx"]
