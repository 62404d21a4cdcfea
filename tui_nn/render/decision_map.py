"""What a network does over its inputs' plane (or line): the class or output at every point of a
grid, each hidden unit's activation there, and the fitted curve of a one-input problem.

The grid goes through the network in one batch (a 40 x 40 grid is one small matrix product per
layer), as the Playground's heat map does (its ``src/heatmap.ts``). ``to_inputs`` is the data's own
preprocessing of raw rows (a feed's ``to_float``: the features, then the scaling), so the grid is
read exactly as the training rows were.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..engine.layers import ActivationLayer, Dense
from ..engine.losses import predicted_classes
from ..engine.network import Sequential

Inputs = Callable[[np.ndarray], np.ndarray]
Range = tuple[float, float]


@dataclass(frozen=True)
class MapGrid:
    """``values[row, column]``: the class index (``classes`` > 0) or the network's output in the
    target's units (a regression, ``classes`` = 0). Row 0 is the top of the picture (the largest
    x2), column 0 the left (the smallest x1); each value is taken at its cell's centre."""

    values: np.ndarray
    x_range: Range
    y_range: Range
    classes: int

    @property
    def regression(self) -> bool:
        return self.classes == 0


def extent(rows: np.ndarray, margin: float = 0.05) -> list[Range]:
    """Each column's (low, high) over ``rows``, widened by ``margin`` of the span on both sides
    (a constant column by 1 either side)."""
    rows = np.asarray(rows, np.float64)
    low, high = rows.min(axis=0), rows.max(axis=0)
    return [(float(lo - margin * (hi - lo)), float(hi + margin * (hi - lo))) if hi > lo else
            (float(lo - 1.0), float(hi + 1.0)) for lo, hi in zip(low, high)]


def cell_centres(value_range: Range, cells: int) -> np.ndarray:
    low, high = value_range
    return low + (np.arange(cells) + 0.5) * (high - low) / cells


def grid_rows(x_range: Range, y_range: Range, columns: int, rows: int) -> np.ndarray:
    """The (rows * columns, 2) points at the cells' centres, row by row from the top."""
    xs = cell_centres(x_range, columns)
    ys = cell_centres(y_range, rows)[::-1]
    grid_x, grid_y = np.meshgrid(xs, ys)
    return np.stack([grid_x.ravel(), grid_y.ravel()], axis=1)


def predict(network: Sequential, to_inputs: Inputs, rows: np.ndarray,
            target_values: Callable[[np.ndarray], np.ndarray] | None = None, regression: bool = False) -> np.ndarray:
    """Each row's class (as the training loop counts it right), or for a regression the first
    output in the target's units (``target_values`` undoes the targets' standardization)."""
    z = network.logits(to_inputs(rows))
    if not regression:
        return predicted_classes(network.loss, z)
    outputs = network.loss.output(z)[:, 0].astype(np.float64)
    return target_values(outputs) if target_values is not None else outputs


def decision_grid(network: Sequential, to_inputs: Inputs, x_range: Range, y_range: Range, columns: int = 40,
                  rows: int = 40, classes: int = 2,
                  target_values: Callable[[np.ndarray], np.ndarray] | None = None) -> MapGrid:
    """The network over a ``columns`` x ``rows`` grid of a two-input problem, in one batch."""
    points = grid_rows(x_range, y_range, columns, rows)
    values = predict(network, to_inputs, points, target_values, regression=classes == 0)
    return MapGrid(values.reshape(rows, columns), x_range, y_range, classes)


def unit_grids(network: Sequential, to_inputs: Inputs, x_range: Range, y_range: Range,
               size: int = 10) -> list[np.ndarray]:
    """What each hidden unit computes over the plane, as the Playground draws it beside each
    neuron: per hidden dense layer an array (units, size, size) of the unit's activation (after
    its activation function), rows from the top as in ``MapGrid``."""
    x = to_inputs(grid_rows(x_range, y_range, size, size))
    maps = []
    layers = network.layers
    for index, layer in enumerate(layers[:-1]):  # the last is the output layer
        x = layer.forward(x, training=False)
        linear_unit = isinstance(layer, Dense) and not isinstance(layers[index + 1], ActivationLayer)
        if (isinstance(layer, ActivationLayer) or linear_unit) and x.ndim == 2:
            maps.append(np.ascontiguousarray(x.T.reshape(x.shape[1], size, size), np.float64))
    return maps


def fitted_curve(network: Sequential, to_inputs: Inputs, x_range: Range, points: int = 200,
                 target_values: Callable[[np.ndarray], np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A one-input regression's curve: ``points`` inputs across ``x_range`` and the outputs there."""
    xs = np.linspace(x_range[0], x_range[1], points)
    return xs, predict(network, to_inputs, xs[:, None], target_values, regression=True)
