"""What one pass over a split measured: the loss and either the accuracy (classes) or the mean
squared error, the mean absolute error and R^2 (regression targets, which arrive as floats).

Errors are reported in the target's own units: a feed that standardized its targets says by how
much (``target_scale``, the training targets' standard deviation) and the errors are scaled back.
R^2 = 1 - SSE / SST does not depend on that scale.
"""

from __future__ import annotations

import math

import numpy as np

from .losses import Loss, predicted_classes

#: The names a regression adds to a split's metrics, as the record keys end (``test_mse``, ...).
REGRESSION_METRICS = ("mse", "mae", "r2")


def is_regression(labels: np.ndarray) -> bool:
    return labels.dtype.kind == "f"


class PassMetrics:
    """Running sums over the batches of one pass; ``add`` each batch's outputs, read ``result``."""

    def __init__(self, loss: Loss, target_scale: float = 1.0):
        self.loss = loss
        self.target_scale = float(target_scale)
        self.loss_sum = 0.0
        self.count = 0
        self.correct = 0
        self.regression = False
        self.squared = 0.0
        self.absolute = 0.0
        self.target_sum = 0.0
        self.target_squares = 0.0
        self.values = 0

    def add(self, z: np.ndarray, labels: np.ndarray, loss_value: float | None = None) -> None:
        """One batch: its pre-activations ``z`` and targets; ``loss_value`` when already computed."""
        if loss_value is None:
            loss_value = self.loss.value(z, labels)
        self.loss_sum += loss_value * len(labels)
        self.count += len(labels)
        if not is_regression(labels):
            self.correct += int(np.count_nonzero(predicted_classes(self.loss, z) == labels))
            return
        self.regression = True
        y = labels.reshape(z.shape).astype(np.float64)
        error = self.loss.output(z).astype(np.float64) - y
        self.squared += float(np.vdot(error, error))
        self.absolute += float(np.abs(error).sum())
        self.target_sum += float(y.sum())
        self.target_squares += float(np.vdot(y, y))
        self.values += y.size

    def result(self) -> dict[str, float]:
        """``loss`` and ``accuracy``, or ``loss``, ``mse``, ``mae`` and ``r2``; NaN for an empty pass."""
        if not self.count:
            return {"loss": math.nan, "accuracy": math.nan}
        loss = self.loss_sum / self.count
        if not self.regression:
            return {"loss": loss, "accuracy": self.correct / self.count}
        n, scale = self.values, self.target_scale
        spread = self.target_squares - self.target_sum ** 2 / n  # SST, in the units the targets arrive in
        r2 = 1.0 - self.squared / spread if spread > 1e-12 * max(self.target_squares, 1.0) else math.nan
        return {"loss": loss, "mse": self.squared / n * scale * scale, "mae": self.absolute / n * scale, "r2": r2}
