"""2-D convolution over channels-last image batches, as one matrix product of patches."""

from __future__ import annotations

import numpy as np

from ..im2col import add_patches, pad_images, patches
from ..initializers import WEIGHT_INITIALIZERS, init_bias
from ..shapes import PADDINGS, Shape, ShapeError, format_shape, image_shape, window_output
from .base import Layer


class Conv2D(Layer):
    """z[b, i, j, f] = sum_{p, q, c} x_pad[b, i s + p, j s + q, c] W[p, q, c, f] + b[f]
    (cross-correlation, as in every deep-learning library), with kernel k, stride s and zero
    padding ``valid`` (none) or ``same`` (output = ceil(input / s)).

    With P the (B*H_out*W_out, k*k*C) patch matrix of x and G the output gradient as
    (B*H_out*W_out, F): dW = P^T G, db = column sums of G, dx = the patches of G W^T summed back
    onto the image (col2im). Initializers see the layer as the dense map from a patch (fan-in
    k*k*C) to its F filters.
    """

    kind = "conv2d"

    def __init__(self, filters: int, kernel: int, stride: int = 1, padding: str = "valid",
                 init: str = "nielsen", bias_init: str = "normal"):
        super().__init__()
        if padding not in PADDINGS:
            raise ValueError(f"unknown padding {padding!r}; allowed: {', '.join(PADDINGS)}")
        self.filters, self.kernel, self.stride, self.padding = filters, kernel, stride, padding
        self.init, self.bias_init = init, bias_init
        self._cols: np.ndarray | None = None
        self._geometry: tuple | None = None

    def _plan(self, input_shape: Shape) -> tuple[int, int, tuple[int, int, int, int]]:
        height, width, _ = image_shape(input_shape, "a conv2d layer")
        out_h, top, bottom = window_output(height, self.kernel, self.stride, self.padding)
        out_w, left, right = window_output(width, self.kernel, self.stride, self.padding)
        if out_h < 1 or out_w < 1:
            raise ShapeError(f"a {height}x{width} input leaves nothing for a {self.kernel}x{self.kernel} kernel; "
                             f"use a kernel of at most {min(height, width)} or padding = \"same\"")
        return out_h, out_w, (top, bottom, left, right)

    def output_shape(self, input_shape: Shape) -> Shape:
        out_h, out_w, _ = self._plan(input_shape)
        return (out_h, out_w, self.filters)

    def parameter_count(self, input_shape: Shape) -> int:
        return (self.kernel * self.kernel * input_shape[-1] + 1) * self.filters

    def build(self, input_shape, rng: np.random.Generator, dtype: np.dtype) -> Shape:
        out = super().build(input_shape, rng, dtype)
        channels = self.input_shape[2]
        fan_in = self.kernel * self.kernel * channels
        weights = WEIGHT_INITIALIZERS[self.init](rng, fan_in, self.filters)
        self.params = {
            "W": np.ascontiguousarray(weights.reshape(self.kernel, self.kernel, channels, self.filters), dtype=dtype),
            "b": init_bias(rng, self.bias_init, self.filters).astype(dtype),
        }
        self._zero_grads()
        return out

    def forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        out_h, out_w, pad = self._plan(x.shape[1:])
        padded = pad_images(x, pad)
        # The patch buffer is reused from the last batch of the same size (no allocation per step).
        self._cols = patches(padded, self.kernel, self.stride, out_h, out_w, self._cols)
        self._geometry = (padded.shape, pad, out_h, out_w)
        out = self._cols @ self.params["W"].reshape(-1, self.filters)
        out += self.params["b"]
        return out.reshape(len(x), out_h, out_w, self.filters)

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        padded_shape, (top, bottom, left, right), out_h, out_w = self._geometry
        flat = grad.reshape(-1, self.filters)
        np.matmul(self._cols.T, flat, out=self.grads["W"].reshape(-1, self.filters))
        np.sum(flat, axis=0, out=self.grads["b"])
        if not self.need_input_grad:
            return None
        cols = flat @ self.params["W"].reshape(-1, self.filters).T
        image = add_patches(cols, padded_shape, self.kernel, self.stride, out_h, out_w)
        return image[:, top:padded_shape[1] - bottom, left:padded_shape[2] - right]

    def label(self) -> str:
        extra = (f" s{self.stride}" if self.stride != 1 else "") + (" same" if self.padding == "same" else "")
        return f"conv2d {self.filters}x{self.kernel}x{self.kernel}{extra}"

    def __repr__(self) -> str:
        return (f"Conv2D(filters={self.filters}, kernel={self.kernel}, stride={self.stride}, "
                f"padding={self.padding!r}, init={self.init!r}, bias_init={self.bias_init!r})")


__all__ = ["Conv2D", "format_shape"]
