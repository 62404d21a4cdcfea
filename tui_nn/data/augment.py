"""Augmentation of a mini-batch of uint8 images, vectorized over the batch, from the run's Generator."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Nielsen's expand_mnist: each image as it is, then moved one pixel down, up, right, left.
SHIFT1_MOVES = np.array([(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)])


def shift_images(images: np.ndarray, dy: np.ndarray, dx: np.ndarray) -> np.ndarray:
    """Move each image by whole pixels (dy down, dx right), filling with zeros."""
    batch, height, width = images.shape
    pad = int(max(np.abs(dy).max(initial=0), np.abs(dx).max(initial=0)))
    if pad == 0:
        return images
    padded = np.zeros((batch, height + 2 * pad, width + 2 * pad), dtype=images.dtype)
    padded[:, pad:pad + height, pad:pad + width] = images
    rows = (pad - dy)[:, None, None] + np.arange(height)[None, :, None]
    cols = (pad - dx)[:, None, None] + np.arange(width)[None, None, :]
    return padded[np.arange(batch)[:, None, None], rows, cols]


def affine_images(images: np.ndarray, angles: np.ndarray, scales: np.ndarray,
                  dy: np.ndarray, dx: np.ndarray) -> np.ndarray:
    """Rotate (radians, about the centre), scale and translate each image; bilinear, zero outside.

    Each output pixel p samples the input at A^-1 (p - c - t) + c with A = scale * rotation.
    Returns float32 in the input's value range.
    """
    batch, height, width = images.shape
    centre = np.array([(height - 1) / 2, (width - 1) / 2])
    grid = np.stack(np.meshgrid(np.arange(height), np.arange(width), indexing="ij"), -1).reshape(-1, 2) - centre
    cos, sin = np.cos(angles) / scales, np.sin(angles) / scales
    shifted = grid[None, :, :] - np.stack([dy, dx], -1)[:, None, :]
    src_y = cos[:, None] * shifted[..., 0] + sin[:, None] * shifted[..., 1] + centre[0]
    src_x = -sin[:, None] * shifted[..., 0] + cos[:, None] * shifted[..., 1] + centre[1]
    padded = np.zeros((batch, height + 2, width + 2), dtype=np.float32)
    padded[:, 1:-1, 1:-1] = images
    src_y = np.clip(src_y + 1, 0, height)  # +1 for the zero border; clipping lands on the border
    src_x = np.clip(src_x + 1, 0, width)
    y0, x0 = np.floor(src_y).astype(np.intp), np.floor(src_x).astype(np.intp)
    y1, x1 = np.minimum(y0 + 1, height + 1), np.minimum(x0 + 1, width + 1)
    wy, wx = (src_y - y0).astype(np.float32), (src_x - x0).astype(np.float32)
    b = np.arange(batch)[:, None]
    top = padded[b, y0, x0] * (1 - wx) + padded[b, y0, x1] * wx
    bottom = padded[b, y1, x0] * (1 - wx) + padded[b, y1, x1] * wx
    return (top * (1 - wy) + bottom * wy).reshape(batch, height, width)


@dataclass(frozen=True)
class Augmentation:
    """``expand = "shift1"`` trains on each image and its four 1-pixel shifts (5x the data, computed
    per batch); ``shift`` moves by up to that many whole pixels; ``rotate`` (degrees), ``scale``
    (fraction) and ``translate`` (pixels) draw a random affine map per image."""

    expand: str = "none"
    shift: int = 0
    rotate: float = 0.0
    scale: float = 0.0
    translate: float = 0.0

    @property
    def factor(self) -> int:
        return len(SHIFT1_MOVES) if self.expand == "shift1" else 1

    @property
    def random(self) -> bool:
        return bool(self.shift or self.rotate or self.scale or self.translate)

    def apply(self, images: np.ndarray, variants: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Augment a uint8 batch; ``variants`` are the expansion variants (0 = unchanged)."""
        if self.expand == "shift1":
            moves = SHIFT1_MOVES[variants]
            images = shift_images(images, moves[:, 0], moves[:, 1])
        n = len(images)
        if self.shift:
            images = shift_images(images, rng.integers(-self.shift, self.shift + 1, n),
                                  rng.integers(-self.shift, self.shift + 1, n))
        if self.rotate or self.scale or self.translate:
            images = affine_images(
                images, np.deg2rad(rng.uniform(-self.rotate, self.rotate, n)),
                1.0 + rng.uniform(-self.scale, self.scale, n),
                rng.uniform(-self.translate, self.translate, n), rng.uniform(-self.translate, self.translate, n))
        return images
