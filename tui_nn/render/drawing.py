"""A canvas in a dataset's image shape for drawing a digit by hand, and MNIST's own centring of a
digit. Pure NumPy; the app's draw screen is its only user.

Pixels hold the data's raw values (0-255, ink bright), and ``Canvas.image`` rounds them to bytes
as the data files store them, so a drawing takes exactly the path a test image takes into the
network.
"""

from __future__ import annotations

import numpy as np

#: A pen's dab: full ink under the tip, fading to the sides (a stroke of about MNIST's width).
SOFT_BRUSH = np.array([[0.25, 0.6, 0.25],
                       [0.6, 1.0, 0.6],
                       [0.25, 0.6, 0.25]], np.float32)
#: On images under 16 pixels a side (8x8 digits) a pixel is a large part of the digit.
SMALL_BRUSH = np.array([[0.0, 0.25, 0.0],
                        [0.25, 1.0, 0.25],
                        [0.0, 0.25, 0.0]], np.float32)
#: MNIST's digits fill a 20x20 box inside 28x28: that share of the smaller side.
MNIST_BOX_SHARE = 20 / 28


class Canvas:
    """An image being drawn: ``paint`` and ``erase`` dab the brush at a pixel; painting keeps
    the darker of the ink there and the dab (going over a stroke again does not thicken it),
    erasing lifts ink in proportion to the dab."""

    def __init__(self, height: int, width: int):
        self.pixels = np.zeros((height, width), np.float32)
        self.brush = SOFT_BRUSH if min(height, width) >= 16 else SMALL_BRUSH

    @property
    def shape(self) -> tuple[int, int]:
        return self.pixels.shape

    def _dab(self, row: int, column: int) -> tuple[tuple[slice, slice], np.ndarray]:
        """The canvas window under the brush centred at (row, column), and the brush part over it."""
        reach = len(self.brush) // 2
        height, width = self.pixels.shape
        top, left = max(row - reach, 0), max(column - reach, 0)
        bottom, right = min(row + reach + 1, height), min(column + reach + 1, width)
        brush = self.brush[top - row + reach:bottom - row + reach, left - column + reach:right - column + reach]
        return (slice(top, bottom), slice(left, right)), brush

    def paint(self, row: int, column: int) -> None:
        window, brush = self._dab(row, column)
        np.maximum(self.pixels[window], 255.0 * brush, out=self.pixels[window])

    def erase(self, row: int, column: int) -> None:
        window, brush = self._dab(row, column)
        self.pixels[window] *= 1.0 - brush

    def line(self, start: tuple[int, int], end: tuple[int, int], erase: bool = False) -> None:
        """Dabs at every pixel from ``start`` to ``end`` (a dragged pen leaves no gaps however
        far the pointer jumped between two reports)."""
        steps = max(abs(end[0] - start[0]), abs(end[1] - start[1]), 1)
        dab = self.erase if erase else self.paint
        for step in range(steps + 1) if start != end else (0,):
            dab(round(start[0] + (end[0] - start[0]) * step / steps),
                round(start[1] + (end[1] - start[1]) * step / steps))

    def clear(self) -> None:
        self.pixels[...] = 0.0

    def load(self, image: np.ndarray) -> None:
        """Start from an image of the data (a test digit, to edit)."""
        self.pixels[...] = np.asarray(image, np.float32).reshape(self.pixels.shape)

    def image(self, centred: bool = False) -> np.ndarray:
        """The drawing as the data stores an image (bytes), optionally centred like MNIST."""
        pixels = centre_like_mnist(self.pixels) if centred else self.pixels
        return np.clip(np.rint(pixels), 0, 255).astype(np.uint8)


def resize(image: np.ndarray, rows: int, columns: int) -> np.ndarray:
    """Bilinear resampling (pixel centres aligned), enough for the at-most-1.4x scaling of
    ``centre_like_mnist``."""
    height, width = image.shape
    y = np.clip((np.arange(rows) + 0.5) * height / rows - 0.5, 0, height - 1)
    x = np.clip((np.arange(columns) + 0.5) * width / columns - 0.5, 0, width - 1)
    y0, x0 = np.floor(y).astype(int), np.floor(x).astype(int)
    y1, x1 = np.minimum(y0 + 1, height - 1), np.minimum(x0 + 1, width - 1)
    fy, fx = (y - y0)[:, None], (x - x0)[None, :]
    top = image[y0][:, x0] * (1 - fx) + image[y0][:, x1] * fx
    bottom = image[y1][:, x0] * (1 - fx) + image[y1][:, x1] * fx
    return (top * (1 - fy) + bottom * fy).astype(np.float32)


def centre_like_mnist(pixels: np.ndarray) -> np.ndarray:
    """What MNIST did to every digit: the ink's bounding box scaled (keeping its proportions) to
    fit a 20x20 box (20/28 of the image's smaller side), then placed so that the ink's centre of
    mass sits at the image's centre (pixel (14, 14) of 28x28, where MNIST's test digits have it). A blank image is returned as it is."""
    height, width = pixels.shape
    ink_rows, ink_columns = np.nonzero(pixels > 0)
    if len(ink_rows) == 0:
        return pixels.astype(np.float32)
    crop = pixels[ink_rows.min():ink_rows.max() + 1, ink_columns.min():ink_columns.max() + 1]
    box = max(1, int(round(MNIST_BOX_SHARE * min(height, width))))
    scale = box / max(crop.shape)
    rows, columns = max(1, int(round(crop.shape[0] * scale))), max(1, int(round(crop.shape[1] * scale)))
    digit = np.clip(resize(crop.astype(np.float32), rows, columns), 0, 255)
    mass = digit.sum()
    centre_row = float((digit.sum(axis=1) * np.arange(rows)).sum() / mass)
    centre_column = float((digit.sum(axis=0) * np.arange(columns)).sum() / mass)
    # MNIST's own digits have their centre of mass near pixel (14, 14) of 28x28, not 13.5: half the size.
    top = int(np.clip(round(height / 2 - centre_row), 0, height - rows))
    left = int(np.clip(round(width / 2 - centre_column), 0, width - columns))
    out = np.zeros((height, width), np.float32)
    out[top:top + rows, left:left + columns] = digit
    return out
