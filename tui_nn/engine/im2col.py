"""Patches of channels-last image batches as one matrix, and the scatter back (im2col / col2im).

A conv layer is then one matrix product: ``patches(x) @ W`` with W of shape (k*k*C, filters).
With ``pool`` > 1 the rows of each sample come grouped by the offset in the pooling window: row
(b, a, c, i', j') is output pixel (i' pool + a, j' pool + c), so the product holds one
contiguous block per window offset and a max pool over it is an element-wise maximum of
pool*pool blocks (see Conv2D).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np


def pad_images(x: np.ndarray, pad: tuple[int, int, int, int]) -> np.ndarray:
    """Zero padding (top, bottom, left, right) of a (B, H, W, C) batch; no copy when there is none."""
    top, bottom, left, right = pad
    if not any(pad):
        return x
    batch, height, width, channels = x.shape
    # Zeros and one copy: np.pad does the same in many Python-level steps (73 against 39 us here).
    padded = np.zeros((batch, top + height + bottom, left + width + right, channels), x.dtype)
    padded[:, top:top + height, left:left + width] = x
    return padded


@lru_cache(maxsize=64)
def _window_layout(shape: tuple[int, ...], itemsize: int, kernel: int, stride: int, out_h: int, out_w: int,
                   pool: int, offset_major: bool) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Shape and strides of the windows of a C-contiguous (B, H, W, C) batch, as ``patches``
    orders them: (B, out_h, out_w, k, k, C), or (B, pool, pool, out_h/pool, out_w/pool, k, k, C)
    with the window offset first; with ``offset_major`` the (k, k, C) axes go first."""
    batch, height, width, channels = shape
    s_c = itemsize
    s_w = channels * s_c
    s_h = width * s_w
    s_b = height * s_h
    kernel_axes = ((kernel, s_h), (kernel, s_w), (channels, s_c))
    if pool > 1:
        pixel_axes = ((pool, stride * s_h), (pool, stride * s_w),
                      (out_h // pool, pool * stride * s_h), (out_w // pool, pool * stride * s_w))
    else:
        pixel_axes = ((out_h, stride * s_h), (out_w, stride * s_w))
    axes = ((batch, s_b),) + pixel_axes + kernel_axes
    if offset_major:
        axes = kernel_axes + ((batch, s_b),) + pixel_axes
    return tuple(n for n, _ in axes), tuple(step for _, step in axes)


def patches(x: np.ndarray, kernel: int, stride: int, out_h: int, out_w: int, pool: int = 1,
            out: np.ndarray | None = None, offset_major: bool = False) -> np.ndarray:
    """(B, H, W, C) -> (B*out_h*out_w, kernel*kernel*C), one row per output pixel holding the
    window at (i*stride, j*stride) ordered (row, column, channel); rows in pooling-window order
    when ``pool`` > 1 (out_h and out_w are then multiples of pool). ``out`` is reused when it has
    the size.

    ``offset_major`` stores the matrix transposed (one contiguous column per kernel offset and
    channel) and returns it as a transposed view with the same values: for few channels the copy
    then runs along image rows instead of k*C numbers at a time (measured 2.5x faster for C = 1),
    and the BLAS takes either layout as it is.

    The windows are one strided view of ``x`` (built from cached strides: NumPy's
    sliding_window_view and moveaxis cost about 25 us a call, a tenth of a small layer's step).
    """
    x = np.ascontiguousarray(x)
    batch, channels = x.shape[0], x.shape[3]
    shape, strides = _window_layout(x.shape, x.itemsize, kernel, stride, out_h, out_w, pool, offset_major)
    windows = np.ndarray(shape, x.dtype, x, 0, strides)
    if out is None or out.size != windows.size:
        out = np.empty(shape, x.dtype)
    out = out.reshape(shape)
    np.copyto(out, windows)
    if offset_major:
        return out.reshape(kernel * kernel * channels, batch * out_h * out_w).T
    return out.reshape(batch * out_h * out_w, kernel * kernel * channels)


def natural_order(rows: np.ndarray, batch: int, out_h: int, out_w: int, pool: int) -> np.ndarray:
    """Rows in pooling-window order (see ``patches``) back in (b, i, j) order, as (B, out_h, out_w, F)."""
    grouped = rows.reshape(batch, pool, pool, out_h // pool, out_w // pool, -1)
    return np.ascontiguousarray(grouped.transpose(0, 3, 1, 4, 2, 5)).reshape(batch, out_h, out_w, -1)


def scatter_slabs(slabs: np.ndarray, image: np.ndarray, kernel: int, stride: int) -> None:
    """The adjoint of ``patches``: add every window's gradient onto the (padded) ``image``.

    ``slabs`` is (kernel*kernel, B, out_h, out_w, C): slab p*kernel + q holds, for every output
    pixel, the gradient of the input pixel at offset (p, q) of its window. Each slab is
    contiguous, so each of the kernel*kernel additions runs over whole image rows.
    """
    _, _, out_h, out_w, _ = slabs.shape
    rows_end, cols_end = (out_h - 1) * stride + 1, (out_w - 1) * stride + 1
    for p in range(kernel):
        for q in range(kernel):
            image[:, p:p + rows_end:stride, q:q + cols_end:stride] += slabs[p * kernel + q]
