"""Digits as text: half blocks (two pixel rows per text row) or an ASCII ramp. Pure; no UI imports."""

from __future__ import annotations

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


def render(image: np.ndarray, ascii_only: bool = False, factor: int = 1) -> list[str]:
    """Lines of text for a grey image with values 0-255 (ink is bright, as in MNIST)."""
    pixels = downsample(image, factor) / 255.0
    if pixels.shape[0] % 2:
        pixels = np.vstack([pixels, np.zeros((1, pixels.shape[1]), pixels.dtype)])
    top, bottom = pixels[0::2], pixels[1::2]
    if ascii_only:
        levels = np.clip(((top + bottom) / 2 * len(ASCII_RAMP)).astype(int), 0, len(ASCII_RAMP) - 1)
        return ["".join(ASCII_RAMP[v] for v in row) for row in levels]
    return ["".join(HALF_BLOCKS[(bool(t > INK), bool(b > INK))] for t, b in zip(trow, brow))
            for trow, brow in zip(top, bottom)]
