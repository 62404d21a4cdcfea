"""How a table's rows become a network's inputs: the Playground's features of two inputs, then each
column standardized with the training split's mean and standard deviation; and how standardized
regression targets go back to the target's own units.

The scaling is a few plain numbers, kept in the run record and the model file (``to_dict``) so a
saved model reads new rows exactly as it was trained on them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

#: The TensorFlow Playground's input features, of the two inputs x1 and x2.
FEATURES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1 * x1,
    "x2^2": lambda x1, x2: x2 * x2,
    "x1*x2": lambda x1, x2: x1 * x2,
    "sin(x1)": lambda x1, x2: np.sin(x1),
    "sin(x2)": lambda x1, x2: np.sin(x2),
}


def expand(rows: np.ndarray, features: tuple[str, ...]) -> np.ndarray:
    """(N, 2) inputs -> (N, len(features)) columns; no features: the rows as they are."""
    if not features:
        return rows
    x1, x2 = rows[:, 0], rows[:, 1]
    return np.stack([FEATURES[name](x1, x2) for name in features], axis=1)


def feature_problem(features: tuple[str, ...], inputs: int) -> str | None:
    """Why ``features`` cannot be computed from ``inputs`` columns, or None."""
    if not features:
        return None
    unknown = [name for name in features if name not in FEATURES]
    if unknown:
        return f"unknown feature {unknown[0]!r}; allowed: {', '.join(FEATURES)}"
    if len(set(features)) != len(features):
        return "a feature is listed twice"
    if inputs != 2:
        return f"the features are computed from two inputs (x1, x2); this data has {inputs}"
    return None


@dataclass(frozen=True)
class TableScaling:
    """inputs = (expand(rows) - mean) / std; targets (regression) = (y - target_mean) / target_std."""

    features: tuple[str, ...]
    mean: np.ndarray
    std: np.ndarray
    target_mean: float = 0.0
    target_std: float = 1.0

    @classmethod
    def fit(cls, rows: np.ndarray, features: tuple[str, ...] = (), targets: np.ndarray | None = None,
            standardize_targets: bool = True) -> TableScaling:
        """Fitted to the training rows (and regression targets); a constant column keeps std 1."""
        columns = expand(np.asarray(rows, np.float64), features)
        mean = columns.mean(axis=0) if len(columns) else np.zeros(columns.shape[1])
        std = columns.std(axis=0) if len(columns) else np.ones(columns.shape[1])
        std = np.where(std > 1e-12, std, 1.0)
        target_mean, target_std = 0.0, 1.0
        if targets is not None and standardize_targets and len(targets):
            target_mean = float(np.mean(targets))
            target_std = float(np.std(targets)) or 1.0
        return cls(tuple(features), mean, std, target_mean, target_std)

    @property
    def width(self) -> int:
        return len(self.mean)

    def inputs(self, rows: np.ndarray, dtype: np.dtype | str = np.float32) -> np.ndarray:
        columns = expand(np.asarray(rows, np.float64), self.features)
        return ((columns - self.mean) / self.std).astype(dtype)

    def scaled_targets(self, targets: np.ndarray, dtype: np.dtype | str = np.float32) -> np.ndarray:
        return ((np.asarray(targets, np.float64) - self.target_mean) / self.target_std).astype(dtype)

    def target_values(self, outputs: np.ndarray) -> np.ndarray:
        """A regression network's outputs in the target's own units."""
        return np.asarray(outputs, np.float64) * self.target_std + self.target_mean

    def to_dict(self) -> dict[str, Any]:
        return {"features": list(self.features), "feature_mean": [float(v) for v in self.mean],
                "feature_std": [float(v) for v in self.std], "target_mean": self.target_mean,
                "target_std": self.target_std}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TableScaling:
        """From ``to_dict``'s form; ``KeyError``/``ValueError``/``TypeError`` when it is not that."""
        mean = np.asarray(data["feature_mean"], np.float64)
        std = np.asarray(data["feature_std"], np.float64)
        if mean.ndim != 1 or mean.shape != std.shape:
            raise ValueError("feature_mean and feature_std must be lists of one length")
        return cls(tuple(str(f) for f in data.get("features") or ()), mean, std,
                   float(data.get("target_mean", 0.0)), float(data.get("target_std", 1.0)))
