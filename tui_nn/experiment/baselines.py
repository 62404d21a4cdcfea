"""Where a network stands: the two non-network baselines of Nielsen's chapter 1 (row N19).

- average darkness: each digit's mean total ink over the training images; a test image is the digit
  whose mean is closest to its own ink (mnist_average_darkness.py);
- an SVM: scikit-learn's ``SVC()`` with its default RBF settings on the pixels scaled to [0, 1]
  (mnist_svm.py), behind the optional ``sklearn`` extra.

Each is trained on the spec's training split and scored on its test split, and recorded like a run
(no epochs, the final test accuracy, ``baseline`` naming the method) so `tui-nn runs` and the Runs
screen list it beside the networks.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable

import numpy as np

from ..data import Dataset
from ..data.splits import Splits
from .records import FORMAT, blas_info, versions

BASELINES = ("darkness", "svm")


class BaselineError(ValueError):
    """A baseline that cannot run here (its library is missing); the message says what to do."""


@dataclass(frozen=True)
class BaselineResult:
    name: str
    test_accuracy: float
    train_images: int
    test_images: int
    seconds: float


def average_darkness(train_x: np.ndarray, train_y: np.ndarray, test_x: np.ndarray, classes: int) -> np.ndarray:
    """Predicted labels: the class whose mean ink is nearest each test image's ink."""
    ink = train_x.reshape(len(train_x), -1).sum(axis=1, dtype=np.float64)
    means = np.array([ink[train_y == c].mean() if np.any(train_y == c) else np.inf for c in range(classes)])
    test_ink = test_x.reshape(len(test_x), -1).sum(axis=1, dtype=np.float64)
    return np.abs(test_ink[:, None] - means[None, :]).argmin(axis=1)


def svm(train_x: np.ndarray, train_y: np.ndarray, test_x: np.ndarray, classes: int) -> np.ndarray:
    try:
        from sklearn.svm import SVC
    except ImportError:
        raise BaselineError("the svm baseline is scikit-learn's SVC, which is not installed: "
                            "pip install \"tui-nn[sklearn]\"") from None
    model = SVC()  # the default RBF kernel, C=1, gamma="scale"
    model.fit(train_x.reshape(len(train_x), -1) / 255.0, train_y)
    return model.predict(test_x.reshape(len(test_x), -1) / 255.0)


METHODS: dict[str, Callable[..., np.ndarray]] = {"darkness": average_darkness, "svm": svm}


def run_baseline(name: str, dataset: Dataset, splits: Splits) -> BaselineResult:
    if splits.test is None:
        raise BaselineError("a baseline is scored on the test split: data.test_size must be above 0")
    train_x, train_y = splits.train.rows(slice(None))
    test_x, test_y = splits.test.rows(slice(None))
    started = time.perf_counter()
    predicted = METHODS[name](train_x, train_y, test_x, dataset.classes)
    accuracy = float(np.mean(predicted == test_y))
    return BaselineResult(name, accuracy, len(train_y), len(test_y), time.perf_counter() - started)


def baseline_record(result: BaselineResult, spec_dict: dict[str, Any], seed: int, data: dict[str, Any]) -> dict:
    """A run record of a baseline: no epochs, its final test accuracy."""
    return {"format": FORMAT, "preset": f"baseline-{result.name}", "baseline": result.name, "spec": spec_dict,
            "data": data, "seed": seed, "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "versions": versions(), "blas": blas_info(), "status": "completed", "epochs": [], "events": [],
            "final": {"test_accuracy": result.test_accuracy, "train_images": result.train_images,
                      "test_images": result.test_images},
            "wall_seconds": round(result.seconds, 3)}
