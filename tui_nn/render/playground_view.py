"""A one- or two-input problem as the playground shows it: a trained (or training) network with its
data, and the pictures of it — the decision map or output surface over the data's range, each
hidden unit's map, the fitted curve of a one-input function — as arrays and as text.

The app's playground screen and ``tui-nn run`` both start from ``PlaygroundView.from_session``
(or ``from_model`` for a saved model), so they draw the same thing. It reads a session or a model
by their attributes (the experiment package sits beside this one, not under it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..data.features import TableScaling
from ..engine.network import Sequential
from .decision_map import (
    MapGrid,
    Range,
    cell_centres,
    decision_grid,
    extent,
    fitted_curve,
    predict,
    unit_grids,
)
from .decision_text import curve_text, map_text


@dataclass(frozen=True)
class PlaygroundView:
    network: Sequential
    to_inputs: Callable[[np.ndarray], np.ndarray]  # raw rows -> the network's inputs
    target_values: Callable[[np.ndarray], np.ndarray] | None  # a regression's outputs -> target units
    classes: int  # 0: a regression
    class_names: tuple[str, ...]
    columns: tuple[str, ...]  # the raw inputs' names: x1, x2 (or x)
    train_rows: np.ndarray
    train_targets: np.ndarray
    test_rows: np.ndarray
    test_targets: np.ndarray
    ranges: tuple[Range, ...]  # of the raw inputs, over all the data

    @classmethod
    def from_session(cls, session) -> PlaygroundView | None:
        """The view of a prepared session's network and data; None unless the data is a table of
        one or two inputs. It follows the network as it trains (the same object)."""
        dataset, feed = session.dataset, session.feed
        if not dataset.is_table or len(dataset.columns) not in (1, 2):
            return None
        train_rows, train_targets = feed.splits.train.rows(slice(None))
        if feed.splits.test is not None:
            test_rows, test_targets = feed.splits.test.rows(slice(None))
        else:
            test_rows, test_targets = train_rows[:0], train_targets[:0]
        scaling = feed.table_scaling
        return cls(session.network, feed.to_float, scaling.target_values if dataset.task == "regression" else None,
                   dataset.classes, dataset.class_names, dataset.columns, train_rows, train_targets, test_rows,
                   test_targets, tuple(extent(np.concatenate([train_rows, test_rows]))))

    @classmethod
    def from_model(cls, model) -> PlaygroundView | None:
        """The view of a saved model on its test split (``models.open_on_test_split``)."""
        data = model.meta.get("data") or {}
        columns = tuple(data.get("columns") or ())
        if "feature_mean" not in data or len(columns) not in (1, 2) or not len(model.images):
            return None
        scaling = TableScaling.from_dict(data)
        regression = data.get("task") == "regression"
        return cls(model.network, model.to_float, scaling.target_values if regression else None,
                   int(data.get("classes") or 0), tuple(model.class_names), columns, model.images[:0],
                   model.labels[:0], model.images, model.labels, tuple(extent(model.images)))

    @property
    def regression(self) -> bool:
        return self.classes == 0

    @property
    def inputs(self) -> int:
        return len(self.columns)

    def grid(self, columns: int = 40, rows: int = 40) -> MapGrid:
        """The decision map (or output surface) of a two-input problem, in one batch."""
        return decision_grid(self.network, self.to_inputs, self.ranges[0], self.ranges[1], columns, rows,
                             self.classes, self.target_values)

    def unit_maps(self, size: int = 10) -> list[np.ndarray]:
        """Per hidden layer, (units, size, size): what each hidden unit computes over the plane."""
        return unit_grids(self.network, self.to_inputs, self.ranges[0], self.ranges[1], size)

    def curve(self, points: int = 200) -> tuple[np.ndarray, np.ndarray]:
        """A one-input problem's fitted curve over the data's range."""
        return fitted_curve(self.network, self.to_inputs, self.ranges[0], points, self.target_values)

    def text(self, columns: int = 60, rows: int = 20, ascii_only: bool = False, split: str = "test") -> str:
        """The picture as text: the decision map with ``split``'s points on top (two inputs), or
        the fitted curve over the target (one input)."""
        rows_, targets = (self.test_rows, self.test_targets) if split == "test" else (self.train_rows,
                                                                                      self.train_targets)
        if self.inputs == 2:
            return map_text(self.grid(columns, rows), rows_, targets, self.class_names, ascii_only, self.columns)
        if not self.regression:  # one input, classes: a strip of regions with the points
            grid = decision_grid_1d(self, columns)
            return map_text(grid, np.column_stack([rows_[:, 0], np.zeros(len(rows_))]), targets, self.class_names,
                            ascii_only, (self.columns[0], ""))
        xs, fitted = self.curve(columns * 2)
        return curve_text(xs, fitted, rows_[:, 0], targets, columns, rows, ascii_only, self.columns[0])


def decision_grid_1d(view: PlaygroundView, columns: int) -> MapGrid:
    """A one-input classification's classes along its range, as a map one row high."""
    xs = cell_centres(view.ranges[0], columns)
    values = predict(view.network, view.to_inputs, xs[:, None])
    return MapGrid(values.reshape(1, columns), view.ranges[0], (-1.0, 1.0), view.classes)
