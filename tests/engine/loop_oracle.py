"""Slow, obvious loop versions of conv and pooling (channels-last), the oracle for the fast layers."""

import numpy as np


def conv2d_loops(x, w, b, stride, pad):
    """x (B, H, W, C), w (k, k, C, F), pad (top, bottom, left, right): one multiply-add at a time."""
    top, bottom, left, right = pad
    batch, height, width, channels = x.shape
    k, _, _, filters = w.shape
    padded = np.zeros((batch, height + top + bottom, width + left + right, channels), x.dtype)
    padded[:, top:top + height, left:left + width] = x
    out_h = (padded.shape[1] - k) // stride + 1
    out_w = (padded.shape[2] - k) // stride + 1
    out = np.zeros((batch, out_h, out_w, filters), x.dtype)
    for n in range(batch):
        for i in range(out_h):
            for j in range(out_w):
                for f in range(filters):
                    total = b[f]
                    for p in range(k):
                        for q in range(k):
                            for c in range(channels):
                                total += padded[n, i * stride + p, j * stride + q, c] * w[p, q, c, f]
                    out[n, i, j, f] = total
    return out


def pool_loops(x, size, stride, mode):
    batch, height, width, channels = x.shape
    out_h = (height - size) // stride + 1
    out_w = (width - size) // stride + 1
    out = np.zeros((batch, out_h, out_w, channels), x.dtype)
    for n in range(batch):
        for i in range(out_h):
            for j in range(out_w):
                for c in range(channels):
                    window = [x[n, i * stride + p, j * stride + q, c] for p in range(size) for q in range(size)]
                    out[n, i, j, c] = max(window) if mode == "max" else sum(window) / len(window)
    return out


def maxpool_backward_loops(x, grad, size, stride):
    """Each output gradient goes to the first maximum of its window in row-major order."""
    dx = np.zeros_like(x)
    batch, out_h, out_w, channels = grad.shape
    for n in range(batch):
        for i in range(out_h):
            for j in range(out_w):
                for c in range(channels):
                    best, where = None, None
                    for p in range(size):
                        for q in range(size):
                            value = x[n, i * stride + p, j * stride + q, c]
                            if best is None or value > best:
                                best, where = value, (i * stride + p, j * stride + q)
                    dx[n, where[0], where[1], c] += grad[n, i, j, c]
    return dx
