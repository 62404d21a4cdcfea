"""Patches of channels-last image batches as one matrix, and the scatter back (im2col / col2im).

A conv layer is then one matrix product: ``patches(x) @ W`` with W of shape (k*k*C, filters).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def pad_images(x: np.ndarray, pad: tuple[int, int, int, int]) -> np.ndarray:
    """Zero padding (top, bottom, left, right) of a (B, H, W, C) batch; no copy when there is none."""
    top, bottom, left, right = pad
    if not any(pad):
        return x
    return np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))


def patches(x: np.ndarray, kernel: int, stride: int, out_h: int, out_w: int,
            out: np.ndarray | None = None) -> np.ndarray:
    """(B, H, W, C) -> (B*out_h*out_w, kernel*kernel*C): row (b, i, j) holds the window at
    (i*stride, j*stride), ordered (row, column, channel). ``out`` is reused when it has the size."""
    batch, channels = x.shape[0], x.shape[3]
    windows = sliding_window_view(x, (kernel, kernel), axis=(1, 2))  # (B, H', W', C, k, k), a view
    windows = windows[:, :(out_h - 1) * stride + 1:stride, :(out_w - 1) * stride + 1:stride]
    shape = (batch, out_h, out_w, kernel, kernel, channels)
    if out is None or out.size != np.prod(shape):
        out = np.empty(shape, x.dtype)
    out = out.reshape(shape)
    np.copyto(out, windows.transpose(0, 1, 2, 4, 5, 3))  # one copy; runs of kernel*C are contiguous
    return out.reshape(batch * out_h * out_w, kernel * kernel * channels)


def add_patches(cols: np.ndarray, padded_shape: tuple[int, int, int, int], kernel: int, stride: int,
                out_h: int, out_w: int) -> np.ndarray:
    """The adjoint of ``patches``: sum every patch row back onto the (padded) image it came from."""
    batch, height, width, channels = padded_shape
    grid = cols.reshape(batch, out_h, out_w, kernel, kernel, channels)
    image = np.zeros(padded_shape, cols.dtype)
    rows_end, cols_end = (out_h - 1) * stride + 1, (out_w - 1) * stride + 1
    for p in range(kernel):
        for q in range(kernel):
            image[:, p:p + rows_end:stride, q:q + cols_end:stride] += grid[:, :, :, p, q]
    return image
