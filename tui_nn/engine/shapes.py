"""Shape arithmetic shared by the layers, the spec check and the editor's summary.

A shape is the per-sample part of an array: ``(features,)`` for flat data and
``(height, width, channels)`` for images. Images are stored channels-last because a conv patch is
then a contiguous run of memory and the patch matrix product lands directly in the output layout
(no transpose copy). People read image shapes channels-first, as ``channels x height x width``
(PyTorch's and the classic material's habit), which is how ``format_shape`` prints them.
"""

from __future__ import annotations

import math

Shape = tuple[int, ...]
PADDINGS = ("valid", "same")


class ShapeError(ValueError):
    """A layer that cannot take its input; the message says what breaks and what would fit."""


def as_shape(shape: int | tuple[int, ...]) -> Shape:
    return (int(shape),) if isinstance(shape, (int,)) else tuple(int(s) for s in shape)


def format_shape(shape: Shape) -> str:
    """``(24, 24, 20)`` -> ``20x24x24`` (channels x height x width); ``(100,)`` -> ``100``."""
    if len(shape) == 3:
        height, width, channels = shape
        return f"{channels}x{height}x{width}"
    return "x".join(str(s) for s in shape)


def image_shape(shape: Shape, what: str) -> tuple[int, int, int]:
    """The (height, width, channels) of an image input, or a ShapeError naming ``what`` needs it."""
    if len(shape) != 3:
        raise ShapeError(f"needs an image input (channels x height x width), got {format_shape(shape)} "
                         f"features; {what} must come before any dense or flatten layer, on image data")
    return shape  # type: ignore[return-value]


def a_size(height: int, width: int) -> str:
    """``a 4x4`` / ``an 8x8`` / ``an 11x11``, as the number is spoken."""
    spoken_with_vowel = str(height).startswith("8") or height in (11, 18)
    return f"{'an' if spoken_with_vowel else 'a'} {height}x{width}"


def window_output(size: int, window: int, stride: int, padding: str) -> tuple[int, int, int]:
    """Output length and (before, after) zero padding of a sliding window along one axis.

    ``valid``: out = floor((size - window) / stride) + 1, no padding (PyTorch's and Keras's rule).
    ``same``: out = ceil(size / stride), padded with (out - 1) stride + window - size zeros, the
    smaller half before (TensorFlow's rule, which also covers strides above 1).
    """
    if padding == "same":
        out = math.ceil(size / stride)
        total = max((out - 1) * stride + window - size, 0)
        return out, total // 2, total - total // 2
    if window > size:
        return 0, 0, 0
    return (size - window) // stride + 1, 0, 0
