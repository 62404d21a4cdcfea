"""Digits as text: half blocks (two pixel rows per text row) or an ASCII ramp. Pure; no UI imports."""

from __future__ import annotations

import math

import numpy as np

HALF_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
ASCII_RAMP = " .:-=+*#%@"
INK = 0.35


def downsample(image: np.ndarray, factor: int) -> np.ndarray:
    """Average ``factor`` x ``factor`` blocks (edges that do not fill a block are dropped)."""
    if factor == 1:
        return image.astype(np.float32)
    h, w = (image.shape[0] // factor) * factor, (image.shape[1] // factor) * factor
    blocks = image[:h, :w].astype(np.float32).reshape(h // factor, factor, w // factor, factor)
    return blocks.mean(axis=(1, 3))


def fit(image: np.ndarray, columns: int, rows: int) -> np.ndarray:
    """The image scaled to fill a box of ``columns`` x ``rows`` text cells (two pixel rows per
    cell), keeping its proportions: larger images are averaged down in whole blocks (28x28 to
    14x14 in a gallery card), smaller ones repeated pixel by pixel (8x8 to 14x14), so every
    dataset's images are drawn about the same size."""
    height, width = image.shape[:2]
    scale = min(columns / width, 2 * rows / height)
    if scale < 1:
        return downsample(image, math.ceil(1 / scale))
    new_h, new_w = max(1, int(height * scale)), max(1, int(width * scale))
    row_index = (np.arange(new_h) * height) // new_h
    col_index = (np.arange(new_w) * width) // new_w
    return image[row_index][:, col_index].astype(np.float32)


def render_fit(image: np.ndarray, columns: int, rows: int, ascii_only: bool = False) -> list[str]:
    """``render`` of the image fitted to the box (see ``fit``); never more lines than ``rows``."""
    return render(fit(image, columns, rows), ascii_only)[:rows]


def render(image: np.ndarray, ascii_only: bool = False) -> list[str]:
    """Lines of text for a grey image with values 0-255 (ink is bright, as in MNIST), two pixel rows
    per line; ``render_fit`` sizes it first."""
    pixels = np.asarray(image, np.float32) / 255.0
    if pixels.shape[0] % 2:
        pixels = np.vstack([pixels, np.zeros((1, pixels.shape[1]), pixels.dtype)])
    top, bottom = pixels[0::2], pixels[1::2]
    if ascii_only:
        levels = np.clip(((top + bottom) / 2 * len(ASCII_RAMP)).astype(int), 0, len(ASCII_RAMP) - 1)
        return ["".join(ASCII_RAMP[v] for v in row) for row in levels]
    return ["".join(HALF_BLOCKS[(bool(t > INK), bool(b > INK))] for t, b in zip(trow, brow))
            for trow, brow in zip(top, bottom)]
