"""An element-wise activation as its own layer."""

from __future__ import annotations

import numpy as np

from ..activations import ACTIVATIONS
from .base import Layer


class ActivationLayer(Layer):
    kind = "activation"

    def __init__(self, name: str):
        super().__init__()
        self.activation = ACTIVATIONS[name]
        self._z: np.ndarray | None = None
        self._a: np.ndarray | None = None

    @property
    def name(self) -> str:
        return self.activation.name

    def forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        self._z = x
        self._a = self.activation.forward(x)
        return self._a

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return self.activation.backward(self._z, self._a, grad)

    def label(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"ActivationLayer({self.name!r})"
