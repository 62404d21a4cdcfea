"""2-D convolution over channels-last image batches, as one matrix product of patches."""

from __future__ import annotations

import numpy as np

from ..im2col import natural_order, pad_images, patches, scatter_slabs
from ..initializers import WEIGHT_INITIALIZERS, init_bias
from ..shapes import a_size, PADDINGS, Shape, ShapeError, format_shape, image_shape, window_output
from .base import Layer


class Conv2D(Layer):
    """z[b, i, j, f] = sum_{p, q, c} x_pad[b, i s + p, j s + q, c] W[p, q, c, f] + b[f]
    (cross-correlation, as in every deep-learning library), with kernel k, stride s and zero
    padding ``valid`` (none) or ``same`` (output = ceil(input / s)).

    With P the (B*H_out*W_out, k*k*C) patch matrix of x and G the output gradient as
    (B*H_out*W_out, F): dW = P^T G, db = column sums of G, dx = the rows of G W^T summed back
    onto the image (col2im), computed as one product per kernel offset so the sums run over
    contiguous memory. Initializers see the layer as the dense map from a patch (fan-in
    k*k*C) to its F filters.

    ``pool`` > 1 fuses a following max pool with non-overlapping ``pool`` x ``pool`` windows: the
    patch rows come grouped by window offset (see im2col), so y is the element-wise maximum of
    pool*pool contiguous blocks of z, and its gradient goes to the first maximum of each window
    in row-major order, exactly as MaxPool2D's does. The bias is added after the pool (it is the
    same across a window). Outputs the pool drops (a last partial window) are never computed.
    """

    kind = "conv2d"

    def __init__(self, filters: int, kernel: int, stride: int = 1, padding: str = "valid",
                 init: str = "nielsen", bias_init: str = "normal", pool: int = 1):
        super().__init__()
        if padding not in PADDINGS:
            raise ValueError(f"unknown padding {padding!r}; allowed: {', '.join(PADDINGS)}")
        self.filters, self.kernel, self.stride, self.padding = filters, kernel, stride, padding
        self.init, self.bias_init, self.pool = init, bias_init, pool
        self._z: np.ndarray | None = None
        self._max: np.ndarray | None = None
        self._cols: np.ndarray | None = None
        self._geometry: tuple | None = None

    def _plan(self, input_shape: Shape) -> tuple[int, int, tuple[int, int, int, int]]:
        height, width, _ = image_shape(input_shape, "a conv2d layer")
        out_h, top, bottom = window_output(height, self.kernel, self.stride, self.padding)
        out_w, left, right = window_output(width, self.kernel, self.stride, self.padding)
        if out_h < 1 or out_w < 1:
            raise ShapeError(f"{a_size(height, width)} input leaves nothing for a {self.kernel}x{self.kernel} kernel; "
                             f"use a kernel of at most {min(height, width)} or padding = \"same\"")
        return out_h, out_w, (top, bottom, left, right)

    def _pooled_size(self, input_shape: Shape) -> tuple[int, int]:
        out_h, out_w, _ = self._plan(input_shape)
        if out_h < self.pool or out_w < self.pool:
            raise ShapeError(f"its {out_h}x{out_w} output leaves nothing for a {self.pool}x{self.pool} pool")
        return out_h // self.pool, out_w // self.pool

    def output_shape(self, input_shape: Shape) -> Shape:
        return self._pooled_size(input_shape) + (self.filters,)

    def patch_numbers(self, input_shape: Shape) -> int:
        """Size of one sample's patch matrix (what bounds the memory of a forward pass)."""
        pooled_h, pooled_w = self._pooled_size(input_shape)
        return pooled_h * pooled_w * self.pool * self.pool * self.kernel * self.kernel * input_shape[2]

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
        _, _, pad = self._plan(x.shape[1:])
        pooled_h, pooled_w = self._pooled_size(x.shape[1:])
        out_h, out_w = pooled_h * self.pool, pooled_w * self.pool
        padded = pad_images(x, pad)
        # The patch buffer is reused from the last batch of the same size (no allocation per step).
        self._cols = patches(padded, self.kernel, self.stride, out_h, out_w, self.pool, self._cols)
        self._geometry = (padded.shape, pad, out_h, out_w)
        z = self._cols @ self.params["W"].reshape(-1, self.filters)
        if self.pool > 1:
            self._z = z.reshape(len(x), self.pool * self.pool, pooled_h * pooled_w, self.filters)
            self._max = self._z.max(axis=1)
            z = self._max.copy()
        z += self.params["b"]
        return z.reshape(len(x), pooled_h, pooled_w, self.filters)

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        padded_shape, (top, bottom, left, right), out_h, out_w = self._geometry
        np.sum(grad.reshape(-1, self.filters), axis=0, out=self.grads["b"])
        flat = self._unpool(grad) if self.pool > 1 else grad.reshape(-1, self.filters)
        np.matmul(self._cols.T, flat, out=self.grads["W"].reshape(-1, self.filters))
        if not self.need_input_grad:
            return None
        batch = padded_shape[0]
        if self.pool > 1:
            flat = natural_order(flat, batch, out_h, out_w, self.pool)
        # One product per kernel offset, (k*k, rows, C): the scatter then adds contiguous slabs.
        per_offset = self.params["W"].reshape(self.kernel * self.kernel, -1, self.filters).transpose(0, 2, 1)
        slabs = np.matmul(flat.reshape(-1, self.filters), per_offset)
        slabs = slabs.reshape(self.kernel * self.kernel, batch, out_h, out_w, -1)
        image = scatter_slabs(slabs, padded_shape, self.kernel, self.stride)
        return image[:, top:padded_shape[1] - bottom, left:padded_shape[2] - right]

    def _unpool(self, grad: np.ndarray) -> np.ndarray:
        """Each window's gradient onto its first maximum; (B * pool^2 * windows, F), z's rows."""
        grad = grad.reshape(self._max.shape)
        dz = np.empty_like(self._z)
        taken = np.zeros(self._max.shape, bool)
        for slot in range(self._z.shape[1]):
            winner = np.equal(self._z[:, slot], self._max)
            winner &= ~taken
            taken |= winner
            np.multiply(grad, winner, out=dz[:, slot])
        return dz.reshape(-1, self.filters)

    def label(self) -> str:
        extra = (f" s{self.stride}" if self.stride != 1 else "") + (" same" if self.padding == "same" else "")
        pool = f" + maxpool2d {self.pool}x{self.pool}" if self.pool > 1 else ""
        return f"conv2d {self.filters}x{self.kernel}x{self.kernel}{extra}{pool}"

    def __repr__(self) -> str:
        return (f"Conv2D(filters={self.filters}, kernel={self.kernel}, stride={self.stride}, "
                f"padding={self.padding!r}, init={self.init!r}, bias_init={self.bias_init!r}, pool={self.pool})")


__all__ = ["Conv2D", "format_shape"]
