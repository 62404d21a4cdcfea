"""2-D convolution over channels-last image batches, as one matrix product of patches."""

from __future__ import annotations

import numpy as np

from ..im2col import natural_order, pad_images, patches, scatter_slabs
from ..initializers import WEIGHT_INITIALIZERS, init_bias
from ..parallel import run_parts, split
from ..shapes import PADDINGS, Shape, ShapeError, a_size, image_shape, window_output
from .base import Layer


#: dW is computed as (G^T P)^T when the patch is longer than this many times the filters
#: (measured with OpenBLAS: 20-25% faster for 5x5x20 patches, slower for 5x5x1).
DW_TRANSPOSED = 2


#: A batch is computed in two parts (see engine/parallel.py) when each has at least this many
#: samples: smaller parts cost more in per-call overhead than a second core gives back.
MIN_PART = 16


#: Inputs with at most this many channels are gathered offset-major (see im2col.patches).
OFFSET_MAJOR_CHANNELS = 1


def unpool(z: np.ndarray, best: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """The fused max pool's backward: each window's gradient onto the first of its maxima.

    ``z`` is (B, pool*pool, windows, F), one block per window offset; ``best`` its maximum over
    the offsets. Returns the gradient of z as rows (B * pool*pool * windows, F).
    """
    grad = grad.reshape(best.shape)
    dz = np.empty_like(z)
    taken = np.zeros(best.shape, bool)
    for slot in range(z.shape[1]):
        winner = np.equal(z[:, slot], best)
        winner &= ~taken
        taken |= winner
        np.multiply(grad, winner, out=dz[:, slot])
    return dz.reshape(-1, z.shape[-1])


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

    A batch of at least 2 * MIN_PART samples is computed as two halves (on two threads when the
    run allows it, see engine/parallel.py), the halves' dW summed in order.
    """

    kind = "conv2d"

    def __init__(self, filters: int, kernel: int, stride: int = 1, padding: str = "valid",
                 init: str = "nielsen", bias_init: str = "normal", pool: int = 1):
        super().__init__()
        if padding not in PADDINGS:
            raise ValueError(f"unknown padding {padding!r}; allowed: {', '.join(PADDINGS)}")
        self.filters, self.kernel, self.stride, self.padding = filters, kernel, stride, padding
        self.init, self.bias_init, self.pool = init, bias_init, pool
        self._geometry: tuple | None = None
        self._parts: list[tuple[int, int]] = []
        self._caches: list = []  # per part: (patches, z before the pool, its maximum)
        self._buffers: list = []  # per part: the patch matrix, reused

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
        padded = pad_images(x, pad)
        self._geometry = (padded.shape, pad, pooled_h * self.pool, pooled_w * self.pool)
        self._parts = split(len(x), MIN_PART)
        if len(self._buffers) < len(self._parts):
            self._buffers += [None] * (len(self._parts) - len(self._buffers))
        self._caches = [None] * len(self._parts)
        out = np.empty((len(x), pooled_h, pooled_w, self.filters), self.params["W"].dtype)
        run_parts(lambda i: self._forward_part(padded, out, i), len(self._parts))
        return out

    def _forward_part(self, padded: np.ndarray, out: np.ndarray, index: int) -> None:
        start, stop = self._parts[index]
        _, _, out_h, out_w = self._geometry
        # Each part's patch buffer is reused from the last batch of the same size.
        cols = patches(padded[start:stop], self.kernel, self.stride, out_h, out_w, self.pool, self._buffers[index],
                       offset_major=padded.shape[3] <= OFFSET_MAJOR_CHANNELS)
        self._buffers[index] = cols.base if cols.base is not None else cols
        z = cols @ self.params["W"].reshape(-1, self.filters)
        target = out[start:stop].reshape(stop - start, -1, self.filters)
        if self.pool > 1:
            z = z.reshape(stop - start, self.pool * self.pool, -1, self.filters)
            np.maximum.reduce(z, axis=1, out=target)
            self._caches[index] = (cols, z, target.copy())
        else:
            np.copyto(target, z.reshape(target.shape))
            self._caches[index] = (cols, None, None)
        target += self.params["b"]  # after the pool: the bias is the same across a window

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        padded_shape, (top, bottom, left, right), _, _ = self._geometry
        np.add.reduce(grad.reshape(-1, self.filters), axis=0, out=self.grads["b"])
        weight_parts: list = [None] * len(self._parts)
        image = np.zeros(padded_shape, grad.dtype) if self.need_input_grad else None
        run_parts(lambda i: self._backward_part(grad, image, weight_parts, i), len(self._parts))
        total = self.grads["W"].reshape(-1, self.filters)
        np.copyto(total, weight_parts[0])
        for part in weight_parts[1:]:
            total += part
        self._caches = []
        if image is None:
            return None
        return image[:, top:padded_shape[1] - bottom, left:padded_shape[2] - right]

    def _backward_part(self, grad: np.ndarray, image: np.ndarray | None, weight_parts: list, index: int) -> None:
        start, stop = self._parts[index]
        _, _, out_h, out_w = self._geometry
        cols, z, best = self._caches[index]
        grad = grad[start:stop]
        flat = unpool(z, best, grad) if self.pool > 1 else grad.reshape(-1, self.filters)
        if cols.shape[1] > DW_TRANSPOSED * self.filters:  # a long patch: BLAS is faster on G^T P
            weight_parts[index] = np.dot(flat.T, cols).T
        else:
            weight_parts[index] = cols.T @ flat
        if image is None:
            return
        if self.pool > 1:
            flat = natural_order(flat, stop - start, out_h, out_w, self.pool)
        # One product per kernel offset, (k*k, rows, C): the scatter then adds contiguous slabs.
        per_offset = self.params["W"].reshape(self.kernel * self.kernel, -1, self.filters).transpose(0, 2, 1)
        slabs = np.matmul(flat.reshape(-1, self.filters), per_offset)
        slabs = slabs.reshape(self.kernel * self.kernel, stop - start, out_h, out_w, -1)
        scatter_slabs(slabs, image[start:stop], self.kernel, self.stride)

    def label(self) -> str:
        extra = (f" s{self.stride}" if self.stride != 1 else "") + (" same" if self.padding == "same" else "")
        pool = f" + maxpool2d {self.pool}x{self.pool}" if self.pool > 1 else ""
        return f"conv2d {self.filters}x{self.kernel}x{self.kernel}{extra}{pool}"

    def __repr__(self) -> str:
        return (f"Conv2D(filters={self.filters}, kernel={self.kernel}, stride={self.stride}, "
                f"padding={self.padding!r}, init={self.init!r}, bias_init={self.bias_init!r}, pool={self.pool})")


