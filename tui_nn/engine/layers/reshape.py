"""Flatten an image batch into feature vectors."""

from __future__ import annotations

import math

import numpy as np

from ..shapes import Shape
from .base import Layer


class Flatten(Layer):
    """(B, H, W, C) -> (B, H*W*C) in row, column, channel order; a view both ways, no copy."""

    kind = "flatten"

    def output_shape(self, input_shape: Shape) -> Shape:
        return (math.prod(input_shape),)

    def forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        return x.reshape(len(x), -1)

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return grad.reshape((len(grad),) + self.input_shape)

    def __repr__(self) -> str:
        return "Flatten()"
