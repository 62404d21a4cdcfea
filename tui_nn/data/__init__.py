"""Datasets in MNIST's IDX format, splits, augmentation and batching. No UI imports, no engine imports."""

from .batching import ArrayFeed
from .datasets import Dataset, DatasetError, FolderSummary, load_dataset, peek_folder
from .idx import IdxError, read_idx
from .splits import SplitError, Splits, make_splits, resolve_sizes

__all__ = ["ArrayFeed", "Dataset", "DatasetError", "FolderSummary", "IdxError", "SplitError", "Splits",
           "load_dataset", "make_splits", "peek_folder", "read_idx", "resolve_sizes"]
