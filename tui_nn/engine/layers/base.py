"""The layer interface."""

from __future__ import annotations

import numpy as np

from ..shapes import Shape, as_shape


class Layer:
    """A differentiable step of a network.

    Shapes are per sample (``(features,)`` or ``(height, width, channels)``, see ``shapes``).
    ``output_shape(input_shape)`` answers before any weight exists (or raises ``ShapeError``);
    ``build`` allocates parameters for that input and returns the same output shape;
    ``forward(x, training)`` caches what ``backward`` needs; ``backward(grad)`` fills ``grads``
    (same keys as ``params``) and returns the gradient with respect to the input (or None when
    ``need_input_grad`` is False, which saves the first layer's largest matrix product).
    ``buffers`` are arrays that are state but not trained.
    """

    #: The name used in summaries and error messages ("dense", "conv2d", ...).
    kind = "layer"

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.buffers: dict[str, np.ndarray] = {}
        self.need_input_grad = True
        self.input_shape: Shape = ()

    def output_shape(self, input_shape: Shape) -> Shape:
        return input_shape

    def parameter_count(self, input_shape: Shape) -> int:
        """Trainable numbers this layer would have on ``input_shape``."""
        return 0

    def build(self, input_shape: int | Shape, rng: np.random.Generator, dtype: np.dtype) -> Shape:
        """Create parameters; return the output shape."""
        self.input_shape = as_shape(input_shape)
        return self.output_shape(self.input_shape)

    def forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        raise NotImplementedError

    def label(self) -> str:
        """A short description for summaries, such as ``dense 100`` or ``conv2d 20x5x5``."""
        return self.kind

    def _zero_grads(self) -> None:
        self.grads = {name: np.zeros_like(value) for name, value in self.params.items()}
