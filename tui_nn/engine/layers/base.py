"""The layer interface."""

from __future__ import annotations

import numpy as np


class Layer:
    """A differentiable step of a network.

    ``build`` allocates parameters for a known input width; ``forward(x, training)`` caches what
    ``backward`` needs; ``backward(grad)`` fills ``grads`` (same keys as ``params``) and returns the
    gradient with respect to the input (or None when ``need_input_grad`` is False, which saves the
    first layer's largest matrix product). ``buffers`` are arrays that are state but not trained.
    """

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.buffers: dict[str, np.ndarray] = {}
        self.need_input_grad = True

    def build(self, input_units: int, rng: np.random.Generator, dtype: np.dtype) -> int:
        """Create parameters; return the output width."""
        return input_units

    def forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        raise NotImplementedError

    def _zero_grads(self) -> None:
        self.grads = {name: np.zeros_like(value) for name, value in self.params.items()}
