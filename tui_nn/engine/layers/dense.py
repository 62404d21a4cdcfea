"""Fully connected layer z = x W + b."""

from __future__ import annotations

import numpy as np

from ..initializers import WEIGHT_INITIALIZERS, init_bias
from .base import Layer


class Dense(Layer):
    """z = x W + b with W of shape (in, out). Gradients: dW = x^T g, db = sum_rows g, dx = g W^T."""

    def __init__(self, units: int, init: str = "nielsen", bias_init: str = "normal"):
        super().__init__()
        self.units = units
        self.init = init
        self.bias_init = bias_init
        self._x: np.ndarray | None = None

    def build(self, input_units: int, rng: np.random.Generator, dtype: np.dtype) -> int:
        weights = WEIGHT_INITIALIZERS[self.init](rng, input_units, self.units)
        self.params = {
            "W": np.ascontiguousarray(weights, dtype=dtype),
            "b": init_bias(rng, self.bias_init, self.units).astype(dtype),
        }
        self._zero_grads()
        return self.units

    def forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        self._x = x
        out = x @ self.params["W"]
        out += self.params["b"]
        return out

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        np.matmul(self._x.T, grad, out=self.grads["W"])
        np.sum(grad, axis=0, out=self.grads["b"])
        if not self.need_input_grad:
            return None
        return grad @ self.params["W"].T

    def __repr__(self) -> str:
        return f"Dense(units={self.units}, init={self.init!r}, bias_init={self.bias_init!r})"
