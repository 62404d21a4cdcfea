"""Fully connected layer z = x W + b."""

from __future__ import annotations

import math

import numpy as np

from ..initializers import WEIGHT_INITIALIZERS, init_bias
from ..shapes import Shape
from .base import Layer


class Dense(Layer):
    """z = x W + b with W of shape (in, out). Gradients: dW = x^T g, db = sum_rows g, dx = g W^T.

    ``column_major`` stores W with W^T contiguous and computes dW^T = g^T x: with OpenBLAS that is
    twice as fast at small batches (forward and backward of a 784x30 layer at batch 10: 9 vs
    20 us) and slower at large ones (784x100 at batch 100: 100 vs 84 us forward), so the network
    chooses it from the training batch size (Sequential.build).

    An image input is flattened first (row, column, channel order), so a dense layer may follow a
    conv or pooling layer directly, as in Keras after ``Flatten``.
    """

    kind = "dense"

    def __init__(self, units: int, init: str = "nielsen", bias_init: str = "normal"):
        super().__init__()
        self.units = units
        self.column_major = False
        self.init = init
        self.bias_init = bias_init
        self._x: np.ndarray | None = None

    def output_shape(self, input_shape: Shape) -> Shape:
        return (self.units,)

    def parameter_count(self, input_shape: Shape) -> int:
        return (math.prod(input_shape) + 1) * self.units

    def build(self, input_shape, rng: np.random.Generator, dtype: np.dtype) -> Shape:
        out = super().build(input_shape, rng, dtype)
        weights = WEIGHT_INITIALIZERS[self.init](rng, math.prod(self.input_shape), self.units)
        self.params = {
            "W": (np.asfortranarray if self.column_major else np.ascontiguousarray)(weights, dtype=dtype),
            "b": init_bias(rng, self.bias_init, self.units).astype(dtype),
        }
        self._zero_grads()
        return out

    def forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        if x.ndim != 2:
            x = x.reshape(len(x), -1)
        self._x = x
        out = x @ self.params["W"]
        out += self.params["b"]
        return out

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        if self.column_major:
            np.matmul(grad.T, self._x, out=self.grads["W"].T)
        else:
            np.matmul(self._x.T, grad, out=self.grads["W"])
        np.add.reduce(grad, axis=0, out=self.grads["b"])  # np.sum adds a microsecond of wrapping
        if not self.need_input_grad:
            return None
        return (grad @ self.params["W"].T).reshape((len(grad),) + self.input_shape)

    def label(self) -> str:
        return f"dense {self.units}"

    def __repr__(self) -> str:
        return f"Dense(units={self.units}, init={self.init!r}, bias_init={self.bias_init!r})"
