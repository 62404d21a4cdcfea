"""Inverted dropout."""

from __future__ import annotations

import numpy as np

from .base import Layer


class Dropout(Layer):
    """In training, zero each unit with probability ``rate`` and scale the survivors by 1/(1-rate),
    so evaluation is the identity (inverted dropout, Srivastava et al. 2014). On conv maps each
    value is dropped on its own (not whole channels)."""

    kind = "dropout"

    def __init__(self, rate: float):
        super().__init__()
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"dropout rate must be in [0, 1), got {rate}")
        self.rate = rate
        self._rng: np.random.Generator | None = None
        self._mask: np.ndarray | None = None

    def build(self, input_shape, rng: np.random.Generator, dtype: np.dtype):
        self._rng = rng
        return super().build(input_shape, rng, dtype)

    def forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        if not training or self.rate == 0.0:
            self._mask = None
            return x
        keep = 1.0 - self.rate
        self._mask = (self._rng.random(x.shape, dtype=np.float32) < keep).astype(x.dtype)
        self._mask /= keep
        return x * self._mask

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return grad if self._mask is None else grad * self._mask

    def label(self) -> str:
        return f"dropout {self.rate:g}"

    def __repr__(self) -> str:
        return f"Dropout(rate={self.rate})"
