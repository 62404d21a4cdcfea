"""Losses fused with the output activation: each takes the last layer's pre-activation ``z``.

Every loss is a mean over the batch of a per-sample sum over output units, as in Nielsen's
``network2.py``. ``value_and_grad(z, y)`` returns that mean and dL/dz (already divided by the
batch size), in the stable closed form where one exists.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .activations import sigmoid, softmax

Array = np.ndarray


@lru_cache(maxsize=8)
def _identity(classes: int, dtype: np.dtype) -> Array:
    identity = np.eye(classes, dtype=dtype)
    identity.flags.writeable = False  # shared between calls
    return identity


@lru_cache(maxsize=8)
def _row_offsets(rows: int, columns: int) -> Array:
    """Where each row starts in a flattened (rows, columns) array: ``offsets + j`` picks column j."""
    offsets = np.arange(0, rows * columns, columns)
    offsets.flags.writeable = False
    return offsets


def one_hot(labels: Array, classes: int, dtype: np.dtype) -> Array:
    """Rows of the identity: one gather instead of zeros plus a scatter (it runs every batch)."""
    return _identity(classes, np.dtype(dtype))[labels]


def targets(labels: Array, z: Array) -> Array:
    """What the outputs should be: regression targets (floats) as they are, shaped like ``z``; class
    labels one-hot, or for a single output unit the label itself (0 or 1: a two-class problem)."""
    if labels.dtype.kind == "f":
        return labels.reshape(z.shape).astype(z.dtype, copy=False)
    if z.shape[1] == 1:
        return labels.reshape(-1, 1).astype(z.dtype)
    return one_hot(labels, z.shape[1], z.dtype)


def predicted_classes(loss: "Loss", z: Array) -> Array:
    """Each row's class: the largest output, or with a single output unit whether it passes the
    middle of its range (1/2 for a sigmoid or a linear output fitted to 0 and 1)."""
    if z.shape[1] == 1:
        return (loss.output(z)[:, 0] > 0.5).astype(np.intp)
    return z.argmax(axis=1)


class Loss:
    name = ""
    output_activation = ""

    def output(self, z: Array) -> Array:
        """The network's output a = f(z) (probabilities for softmax)."""
        raise NotImplementedError

    def value_and_grad(self, z: Array, labels: Array) -> tuple[float, Array]:
        raise NotImplementedError

    def value(self, z: Array, labels: Array) -> float:
        return self.value_and_grad(z, labels)[0]

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Quadratic(Loss):
    """C = 1/n sum_x 1/2 ||a(x) - y(x)||^2 with a = sigma(z) or a = z; dC/dz = (a - y) sigma'(z) / n."""

    name = "quadratic"

    def __init__(self, output_activation: str = "sigmoid"):
        if output_activation not in ("sigmoid", "linear"):
            raise ValueError(f"quadratic loss takes a sigmoid or linear output, not {output_activation!r}")
        self.output_activation = output_activation

    def output(self, z: Array) -> Array:
        return sigmoid(z) if self.output_activation == "sigmoid" else z

    def value_and_grad(self, z: Array, labels: Array) -> tuple[float, Array]:
        a = self.output(z)
        diff = a - targets(labels, z)
        value = 0.5 * float(np.vdot(diff, diff)) / z.shape[0]
        if self.output_activation == "sigmoid":
            diff *= a * (1.0 - a)
        diff /= z.shape[0]
        return value, diff

    def __repr__(self) -> str:
        return f"Quadratic(output_activation={self.output_activation!r})"


class SigmoidCrossEntropy(Loss):
    """C = -1/n sum_x sum_j [y ln a + (1-y) ln(1-a)], a = sigma(z); dC/dz = (a - y) / n.

    Per unit the cost equals softplus(z) - y z = max(z, 0) - y z + ln(1 + e^-|z|), which never
    takes the log of zero (Nielsen's ``nan_to_num`` is not needed).
    """

    name = "cross_entropy"
    output_activation = "sigmoid"

    def output(self, z: Array) -> Array:
        return sigmoid(z)

    def value_and_grad(self, z: Array, labels: Array) -> tuple[float, Array]:
        y = targets(labels, z)
        per_unit = np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z)))
        grad = self.output(z)
        grad -= y
        grad /= z.shape[0]
        return float(per_unit.sum()) / z.shape[0], grad


class SoftmaxLogLikelihood(Loss):
    """C = -1/n sum_x ln a_y(x), a = softmax(z); dC/dz = (a - y) / n.

    ln a_y = z_y - logsumexp(z), with the row maximum subtracted before exponentiating.
    """

    name = "log_likelihood"
    output_activation = "softmax"

    def output(self, z: Array) -> Array:
        return softmax(z)

    def value_and_grad(self, z: Array, labels: Array) -> tuple[float, Array]:
        n, classes = z.shape
        offsets = _row_offsets(n, classes)
        targets = labels + offsets  # each row's label as a flat index
        # Each row's maximum, fetched at its argmax: a max() over short rows costs several times more.
        shifted = z - z.take(z.argmax(axis=1) + offsets)[:, None]
        picked = shifted.take(targets)
        grad = np.exp(shifted)
        sums = grad.sum(axis=1, keepdims=True)
        value = (float(np.log(sums).sum()) - float(picked.sum())) / n
        sums *= n
        grad /= sums
        grad.reshape(-1)[targets] -= 1.0 / n
        return value, grad


LOSSES: dict[str, type[Loss]] = {
    "quadratic": Quadratic,
    "cross_entropy": SigmoidCrossEntropy,
    "log_likelihood": SoftmaxLogLikelihood,
}

#: Which output activation each loss is fused with (the spec's last dense layer must say so).
LOSS_OUTPUTS: dict[str, tuple[str, ...]] = {
    "quadratic": ("sigmoid", "linear"),
    "cross_entropy": ("sigmoid",),
    "log_likelihood": ("softmax",),
}


def make_loss(name: str, output_activation: str) -> Loss:
    if name == "quadratic":
        return Quadratic(output_activation)
    return LOSSES[name]()
