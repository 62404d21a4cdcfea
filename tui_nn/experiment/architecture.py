"""From the spec's layer list to engine layers, and the shape summary every client reads.

The summary (each spec layer's output shape and parameter count) comes from the engine layers'
own shape rules, folded over the spec's layers, so the editor, ``tui-nn`` errors and the built
network can never disagree about what fits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..engine.activations import ACTIVATIONS
from ..engine.layers import (ActivationLayer, AvgPool2D, BatchNorm, Conv2D, Dense, Dropout, Flatten, Layer,
                             MaxPool2D)
from ..engine.shapes import Shape, ShapeError, format_shape

if TYPE_CHECKING:
    from .spec.schema import LayerSpec, Spec


@dataclass(frozen=True)
class LayerSummary:
    """One spec layer: what it is, what it takes and outputs, and how many numbers it trains."""

    index: int
    label: str
    input_shape: Shape
    output_shape: Shape
    parameters: int

    @property
    def shape_text(self) -> str:
        return format_shape(self.output_shape)


def layer_label(layer: "LayerSpec") -> str:
    """``dense 100``, ``conv2d 20x5x5``, ``maxpool2d 2x2``, ... as people write them."""
    if layer.type == "dense":
        return f"dense {layer.units}"
    if layer.type == "conv2d":
        extra = (f" s{layer.stride}" if layer.stride != 1 else "") + (" same" if layer.padding == "same" else "")
        return f"conv2d {layer.filters}x{layer.kernel}x{layer.kernel}{extra}"
    if layer.type in ("maxpool2d", "avgpool2d"):
        extra = f" s{layer.stride}" if layer.stride != layer.size else ""
        return f"{layer.type} {layer.size}x{layer.size}{extra}"
    if layer.type == "dropout":
        return f"dropout {layer.rate:g}"
    return layer.type


def layer_group(spec: "Spec", index: int) -> list[Layer]:
    """The engine layers one spec layer becomes: a dense or conv layer and its activation (the
    output layer's activation is fused into the loss, so it has none)."""
    layer, model = spec.model.layers[index], spec.model
    last = index == len(model.layers) - 1
    if layer.type == "dense":
        group: list[Layer] = [Dense(layer.units, model.init, model.bias_init)]
    elif layer.type == "conv2d":
        group = [Conv2D(layer.filters, layer.kernel, layer.stride, layer.padding, model.init, model.bias_init)]
    elif layer.type == "maxpool2d":
        return [MaxPool2D(layer.size, layer.stride)]
    elif layer.type == "avgpool2d":
        return [AvgPool2D(layer.size, layer.stride)]
    elif layer.type == "flatten":
        return [Flatten()]
    elif layer.type == "dropout":
        return [Dropout(layer.rate)]
    else:
        return [BatchNorm(layer.momentum)]
    # A hidden softmax is refused by check_spec; for the shapes it is as if absent (not a crash).
    if not last and layer.activation != "linear" and layer.activation in ACTIVATIONS:
        group.append(ActivationLayer(layer.activation))
    return group


def build_layers(spec: "Spec") -> list[Layer]:
    """The engine layers in order, with two rewrites that change the speed and not the function:

    - a conv layer's activation directly followed by max pooling is applied after the pooling:
      every activation here is non-decreasing, so max(f(z)) = f(max(z)), and f then runs on a
      quarter of the numbers (network3.py's order too);
    - a conv layer followed by max pooling with side-by-side windows becomes one Conv2D with
      ``pool`` set, which pools over its own matrix product (see Conv2D).
    """
    groups = [layer_group(spec, i) for i in range(len(spec.model.layers))]
    for index in range(len(groups) - 1):
        group, following = groups[index], groups[index + 1]
        if not (isinstance(group[0], Conv2D) and len(following) == 1 and isinstance(following[0], MaxPool2D)):
            continue
        conv, pool, activation = group[0], following[0], group[1:]
        if pool.stride == pool.size:
            conv.pool = pool.size
            groups[index], groups[index + 1] = [conv], activation
        else:
            groups[index], groups[index + 1] = [conv], [pool] + activation
    return [layer for group in groups for layer in group]


SPATIAL = ("conv2d", "maxpool2d", "avgpool2d")


def input_shape_of(spec: "Spec", image_shape: tuple[int, ...]) -> Shape:
    """One sample as the network takes it: a grayscale image gains a channel, (H, W, 1), when the
    network has conv or pooling layers; otherwise it is the flat vector of its H*W pixels, as
    the classic dense networks read it (and a first batch norm normalizes each pixel)."""
    if any(layer.type in SPATIAL for layer in spec.model.layers):
        return (image_shape[0], image_shape[1], 1) if len(image_shape) == 2 else tuple(image_shape)
    return (math.prod(image_shape),)


def summarize(spec: "Spec", input_shape: Shape) -> tuple[list[LayerSummary], str | None, int | None]:
    """The rows of every layer that fits, then (the first problem, the index of its layer) or
    (None, None)."""
    rows, shape = [], tuple(input_shape)
    for index in range(len(spec.model.layers)):
        out, params = shape, 0
        try:
            for layer in layer_group(spec, index):
                params += layer.parameter_count(out)
                out = layer.output_shape(out)
        except ShapeError as error:
            return rows, str(error), index
        rows.append(LayerSummary(index, layer_label(spec.model.layers[index]), shape, out, params))
        shape = out
    return rows, None, None


def architecture_text(spec: "Spec", input_shape: Shape | None) -> str:
    """``[784,30,10]`` for a dense net (``?`` first when the input is unknown); with conv layers
    ``[20c5,p2,40c5,p2,100,10]`` (20 filters of 5x5, max pool 2, ...; ``a`` for average pooling,
    ``s2`` for a stride, ``bn`` batch norm)."""
    layers = spec.model.layers
    if not any(layer.type in SPATIAL for layer in layers):
        widths = [str(math.prod(input_shape)) if input_shape else "?"] + [str(layer.units) for layer in layers if layer.type == "dense"]
        return "[" + ",".join(widths) + "]"
    parts = []
    for layer in layers:
        if layer.type == "conv2d":
            parts.append(f"{layer.filters}c{layer.kernel}" + (f"s{layer.stride}" if layer.stride != 1 else ""))
        elif layer.type in ("maxpool2d", "avgpool2d"):
            parts.append(f"{'p' if layer.type == 'maxpool2d' else 'a'}{layer.size}")
        elif layer.type == "dense":
            parts.append(str(layer.units))
        elif layer.type == "batchnorm":
            parts.append("bn")
    return "[" + ",".join(parts) + "]"
