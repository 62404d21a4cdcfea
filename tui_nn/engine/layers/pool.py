"""Max and average pooling over channels-last image batches, any window and stride."""

from __future__ import annotations

import numpy as np

from ..shapes import a_size, Shape, ShapeError, image_shape, window_output
from .base import Layer


class _Pool2D(Layer):
    """Windows of ``size`` x ``size`` every ``stride`` pixels (default: the window, so windows do
    not overlap), no padding; a last partial window is dropped (PyTorch's floor rule).

    Both poolings loop over the size*size window offsets, each one a strided view of the whole
    batch: a handful of whole-array operations instead of a copy of every window.
    """

    def __init__(self, size: int, stride: int | None = None):
        super().__init__()
        self.size = size
        self.stride = stride or size
        self._shape: tuple[int, int] | None = None

    def output_shape(self, input_shape: Shape) -> Shape:
        height, width, channels = image_shape(input_shape, f"a {self.kind} layer")
        out_h = window_output(height, self.size, self.stride, "valid")[0]
        out_w = window_output(width, self.size, self.stride, "valid")[0]
        if out_h < 1 or out_w < 1:
            raise ShapeError(f"{a_size(height, width)} input leaves nothing for a {self.size}x{self.size} window; "
                             f"use a window of at most {min(height, width)}")
        return (out_h, out_w, channels)

    def _views(self, x: np.ndarray):
        """(p, q, view): the input pixel at offset (p, q) of every window, as (B, H_out, W_out, C)."""
        out_h, out_w = self._shape
        rows, cols = (out_h - 1) * self.stride + 1, (out_w - 1) * self.stride + 1
        for p in range(self.size):
            for q in range(self.size):
                yield p, q, x[:, p:p + rows:self.stride, q:q + cols:self.stride]

    def forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        self.input_shape = x.shape[1:]
        self._shape = self.output_shape(self.input_shape)[:2]
        return self._pool(x)

    def label(self) -> str:
        stride = f" s{self.stride}" if self.stride != self.size else ""
        return f"{self.kind} {self.size}x{self.size}{stride}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(size={self.size}, stride={self.stride})"


class MaxPool2D(_Pool2D):
    """y = max over each window. The gradient goes to the first maximum of each window in
    row-major order (as an argmax would), so tied inputs such as a blank border share nothing twice."""

    kind = "maxpool2d"

    def _pool(self, x: np.ndarray) -> np.ndarray:
        out = None
        for _, _, view in self._views(x):
            out = view.copy() if out is None else np.maximum(out, view, out=out)
        self._x, self._out = x, out
        return out

    def backward(self, grad: np.ndarray) -> np.ndarray:
        dx = np.zeros(self._x.shape, grad.dtype)
        taken = np.zeros(grad.shape, bool)
        for (_, _, x_view), (_, _, dx_view) in zip(self._views(self._x), self._views(dx)):
            winner = x_view == self._out
            winner &= ~taken
            taken |= winner
            dx_view += np.where(winner, grad, 0)
        return dx


class AvgPool2D(_Pool2D):
    """y = mean over each window; dx spreads each output gradient evenly over its window."""

    kind = "avgpool2d"

    def _pool(self, x: np.ndarray) -> np.ndarray:
        out = None
        for _, _, view in self._views(x):
            out = view.astype(x.dtype, copy=True) if out is None else np.add(out, view, out=out)
        out *= 1.0 / (self.size * self.size)
        return out

    def backward(self, grad: np.ndarray) -> np.ndarray:
        dx = np.zeros((len(grad),) + tuple(self.input_shape), grad.dtype)
        share = grad * (1.0 / (self.size * self.size))
        for _, _, dx_view in self._views(dx):
            dx_view += share
        return dx
