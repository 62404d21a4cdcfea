"""Text art: every image size fills the same box, none draws past it."""

import numpy as np
import pytest

from tui_nn.render.textart import fit, render_fit


@pytest.mark.parametrize("shape,expected", [((8, 8), (14, 14)), ((28, 28), (14, 14)), ((64, 64), (12, 12)),
                                            ((10, 20), (5, 10))])
def test_fit_fills_the_box_keeping_proportions(shape, expected):
    assert fit(np.zeros(shape, np.uint8), 14, 7).shape == expected


def test_small_images_are_repeated_pixel_by_pixel():
    image = np.arange(16, dtype=np.uint8).reshape(4, 4)
    scaled = fit(image, 8, 4)
    assert scaled.shape == (8, 8) and np.array_equal(scaled[::2, ::2], image) and np.array_equal(scaled[1::2, 1::2], image)


@pytest.mark.parametrize("ascii_only", [False, True])
def test_render_fit_never_passes_the_box(ascii_only):
    lines = render_fit(np.full((100, 30), 255, np.uint8), 28, 14, ascii_only)
    assert len(lines) <= 14 and all(len(line) <= 28 for line in lines)
