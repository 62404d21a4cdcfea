"""The playground's pictures as widgets: the decision map (or output surface, or fitted curve) with
the data points on top, and each hidden unit's small map.

The characters are those of ``render/decision_text.py`` (a shade per class, a glyph per class for
the points, a ramp for outputs), so the picture reads the same without colour and in ASCII; colour,
when there is any, is the Playground's: orange for the negative side, blue for the positive.
"""

from __future__ import annotations

import itertools

import numpy as np
from rich.style import Style

from ...render.decision_map import MapGrid
from ...render.decision_text import (
    BOTH_MARK,
    FIT_MARK,
    RAMP,
    RAMP_ASCII,
    TARGET_MARK,
    curve_lines,
    map_lines,
    place_points,
    point_glyph,
    ramp_index,
    region_fill,
)
from ..playground_runner import Picture
from .strip_text import Lines, StripView

#: The Playground's two colours (negative, positive), and the regions' darker shades of them.
COLOURS = ("#f59322", "#0877bd", "#3ca03c", "#b43cb4", "#c8c83c", "#3cc8c8")
REGION_COLOURS = ("#4a2e0e", "#0b2a40", "#143814", "#3c143c", "#40400f", "#0f4040")
SHADES = 8


def mix(low: str, high: str, t: float) -> str:
    a = [int(low[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(high[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b))


RAMP_COLOURS = [mix(COLOURS[0], COLOURS[1], i / (SHADES - 1)) for i in range(SHADES)]
RAMP_STYLES = [Style(color=colour) for colour in RAMP_COLOURS]
#: A regression's surface: the ramp's colour as a dark background, points in the full colour.
SURFACE_STYLES = [Style(color=colour, bgcolor=mix("#000000", colour, 0.35)) for colour in RAMP_COLOURS]
POINT_RAMP_STYLES = [Style(color=colour, bold=True) for colour in RAMP_COLOURS]
REGION_STYLES = [Style(color=colour, bgcolor=region) for colour, region in zip(COLOURS, REGION_COLOURS)]
POINT_STYLES = [Style(color=colour, bold=True) for colour in COLOURS]
#: A class's point over a class's region: index region * len(COLOURS) + point.
POINT_ON_REGION = [region + point for region in REGION_STYLES for point in POINT_STYLES]


def append_rows(text: Lines, lines: list[str], ids: np.ndarray, styles: list[Style], side: str) -> None:
    """``lines`` framed by ``side``, each cell in ``styles[ids[row, column]]``, appended a run of
    cells of one style at a time (a map is mostly large regions: a few runs a row)."""
    for line, row in zip(lines, ids):
        text.append(side)
        starts = np.flatnonzero(np.diff(row)) + 1
        bounds = [0, *starts.tolist(), len(row)]
        for start, end in itertools.pairwise(bounds):
            text.append(line[start:end], styles[row[start]])
        text.append(side + "\n")


def ramp_style(values: np.ndarray, low: float, high: float) -> np.ndarray:
    return ramp_index(values, low, high, SHADES)


class DecisionMap(StripView):
    """The map of a two-input problem, a one-input classification's strip, or a one-input
    regression's curve over its target, with ``axes`` labelled; ``show`` draws a ``Picture``."""

    DEFAULT_CSS = "DecisionMap { height: 1fr; width: 1fr; }"

    def __init__(self, rows: np.ndarray, targets: np.ndarray, classes: int, class_names: tuple[str, ...],
                 axes: tuple[str, ...], ascii_only: bool, area: tuple[int, int] = (40, 17), id: str | None = None):
        super().__init__(id=id)
        self.area = area  # the grid's columns and rows as the screen sized them
        self.data_rows, self.targets, self.class_count = rows, targets, classes
        self.class_names, self.axes, self.ascii_only = class_names, axes, ascii_only
        self.redraws = 0

    def show(self, picture: Picture) -> None:
        if picture.curve is not None:
            text = self.curve_text(*picture.curve)
        else:
            grid = picture.grid if picture.grid is not None else picture.strip
            text = self.map_text(grid)
        self.show_lines(text)
        self.redraws += 1

    def points(self, grid: MapGrid) -> np.ndarray:
        if self.data_rows.shape[1] == 1:  # a strip: the points along its middle
            return np.column_stack([self.data_rows[:, 0], np.zeros(len(self.data_rows))])
        return self.data_rows

    def map_text(self, grid: MapGrid) -> Lines:
        if grid.regression:
            return self.surface_text(grid)
        points = self.points(grid)
        labels = None if grid.regression else self.targets
        lines = map_lines(grid, points, labels, self.ascii_only)
        row, column, which = place_points(grid, np.asarray(points, np.float64))
        regions = np.asarray(grid.values, np.intp) % len(COLOURS)
        ids = regions.copy()  # the region's style, or past them a point's over its region
        ids[row, column] = len(REGION_STYLES) + regions[row, column] * len(COLOURS) \
            + np.asarray(self.targets, np.intp)[which] % len(COLOURS)
        side, top = ("|", "-") if self.ascii_only else ("│", "─")
        corners = "++++" if self.ascii_only else "┌┐└┘"
        (x0, x1), (y0, y1) = grid.x_range, grid.y_range
        width = len(lines[0])
        text = Lines()
        two_axes = len(self.axes) == 2
        text.append(f"{self.axes[1]} {y1:.3g}\n" if two_axes else "\n")
        text.append(corners[0] + top * width + corners[1] + "\n")
        append_rows(text, lines, ids, REGION_STYLES + POINT_ON_REGION, side)
        text.append(corners[2] + top * width + corners[3] + "\n")
        low = f"{self.axes[1]} {y0:.3g}" if two_axes else ""
        text.append(f"{low:<{max(0, width // 2 - 6)}}  {self.axes[0]} {x0:.3g} .. {x1:.3g}\n")
        text.append(self.legend(grid))
        return text

    def target_grid(self, grid: MapGrid) -> np.ndarray:
        """The training targets binned into the grid's cells (their mean; NaN where there is none)."""
        row, column, which = place_points(grid, np.asarray(self.data_rows, np.float64))
        sums = np.zeros(grid.values.shape)
        counts = np.zeros(grid.values.shape)
        np.add.at(sums, (row, column), np.asarray(self.targets, np.float64)[which])
        np.add.at(counts, (row, column), 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(counts > 0, sums / counts, np.nan)

    def surface_text(self, grid: MapGrid) -> Lines:
        """A two-input regression: the network's output surface and, beside it on the same
        scale, the training targets where there are points (blank elsewhere)."""
        target = self.target_grid(grid)
        values = np.asarray(grid.values, np.float64)
        low = float(min(values.min(), np.nanmin(target) if np.isfinite(target).any() else values.min()))
        high = float(max(values.max(), np.nanmax(target) if np.isfinite(target).any() else values.max()))
        ramp = (RAMP_ASCII if self.ascii_only else RAMP)[1:]  # the blank is for cells without a target
        side, top = ("|", "-") if self.ascii_only else ("│", "─")
        corners, middle = ("++++", "++") if self.ascii_only else ("┌┐└┘", "┬┴")
        width = values.shape[1]
        text = Lines()
        (x0, x1), (y0, y1) = grid.x_range, grid.y_range
        text.append(f"{'network':^{width + 1}} {'target':^{width}}\n")
        text.append(corners[0] + top * width + middle[0] + top * width + corners[1] + "\n")
        blank = np.isnan(target)
        filled = np.nan_to_num(target, nan=low)
        lines = ["".join(ramp[i] for i in a) + side + "".join(" " if b else ramp[i] for i, b in zip(t, m))
                 for a, t, m in zip(ramp_index(values, low, high, len(ramp)), ramp_index(filled, low, high, len(ramp)),
                                    blank)]
        target_ids = np.where(blank, 2 * SHADES, SHADES + ramp_style(filled, low, high))
        ids = np.concatenate([ramp_style(values, low, high), np.full((len(values), 1), 2 * SHADES + 1),
                              target_ids], axis=1)
        append_rows(text, lines, ids, SURFACE_STYLES + POINT_RAMP_STYLES + [Style(), Style()], side)
        text.append(corners[2] + top * width + middle[1] + top * width + corners[3] + "\n")
        text.append(f"{self.axes[0]} {x0:.3g}..{x1:.3g}  {self.axes[1]} {y0:.3g}..{y1:.3g}\n")
        text.append(f"output {low:.3g} '{ramp[0]}' .. '{ramp[-1]}' {high:.3g}")
        return text

    def legend(self, grid: MapGrid) -> str:
        names = self.class_names or tuple(str(c) for c in range(self.class_count))
        return "  ".join(f"{point_glyph(c)} {name} '{region_fill(c, self.ascii_only)}'"
                         for c, name in enumerate(names))

    def curve_text(self, xs: np.ndarray, fitted: np.ndarray) -> Lines:
        columns, rows = self.area
        width, height = max(10, columns - 8), max(4, rows + 3)  # the same lines as a map, no frame
        lines, (low, high) = curve_lines(xs, fitted, self.data_rows[:, 0], np.asarray(self.targets, np.float64),
                                         width, height)
        styles = {TARGET_MARK: Style(color=COLOURS[0]), FIT_MARK: Style(color=COLOURS[1], bold=True),
                  BOTH_MARK: Style(color=COLOURS[1], bold=True)}
        side = "|" if self.ascii_only else "│"
        label = max(len(f"{high:.3g}"), len(f"{low:.3g}"))
        text = Lines()
        for index, line in enumerate(lines):
            tick = f"{high:.3g}" if index == 0 else f"{low:.3g}" if index == len(lines) - 1 else ""
            text.append(tick.rjust(label) + " " + side)
            for character in line:
                text.append(character, styles.get(character))
            text.append(side + "\n")
        x0, x1 = float(min(np.min(xs), np.min(self.data_rows[:, 0]))), float(max(np.max(xs), np.max(self.data_rows[:, 0])))
        text.append(" " * (label + 2) + f"{self.axes[0]} {x0:.3g} .. {x1:.3g}\n")
        text.append(f"{TARGET_MARK} target  {FIT_MARK} network  {BOTH_MARK} both")
        return text


def unit_rows(maps: np.ndarray, ramp: str) -> tuple[list[str], np.ndarray]:
    """Units (n, size, size) side by side, each ``size`` columns by ``size / 2`` rows (pairs of rows
    averaged) on its own ramp from its lowest to its highest value, a blank column between units:
    the lines and each cell's style (``SHADES``: the blank)."""
    units, size = maps.shape[0], maps.shape[1]
    halves = maps.reshape(units, size // 2, 2, size).mean(axis=2)
    low = maps.reshape(units, -1).min(axis=1)[:, None, None]
    span = maps.reshape(units, -1).max(axis=1)[:, None, None] - low
    with np.errstate(invalid="ignore", divide="ignore"):
        fraction = np.where(span > 0, (halves - low) / np.where(span > 0, span, 1), 0.0)
    shades = np.clip((fraction * len(ramp)).astype(np.intp), 0, len(ramp) - 1)
    styles = np.clip((fraction * SHADES).astype(np.intp), 0, SHADES - 1)
    gap = np.full((units, size // 2, 1), -1)
    shades = np.concatenate([shades, gap], axis=2).transpose(1, 0, 2).reshape(size // 2, -1)[:, :-1]
    styles = np.concatenate([styles, gap], axis=2).transpose(1, 0, 2).reshape(size // 2, -1)[:, :-1]
    characters = np.array(list(ramp) + [" "])
    lines = ["".join(characters[row]) for row in shades]  # -1: the blank, last in the list
    return lines, np.where(styles < 0, SHADES, styles)


class UnitMaps(StripView):
    """What each hidden unit computes over the plane, as the Playground draws beside each neuron:
    per layer a label line and a row of small maps (4 columns by 2 rows each, the unit's output
    from its lowest to its highest value on a ramp), for up to ``layers`` layers."""

    DEFAULT_CSS = "UnitMaps { height: 1fr; }"

    def __init__(self, ascii_only: bool, layers: int = 3, id: str | None = None):
        super().__init__(id=id)
        self.ascii_only, self.max_layers = ascii_only, layers

    def show(self, units: list[np.ndarray], widths: list[int], activation: str) -> None:
        text = Lines()
        if not units:
            text.append("no hidden layer: a linear model"
                        if not widths else "(unit maps for two inputs)")
            self.show_lines(text)
            return
        ramp = RAMP_ASCII if self.ascii_only else RAMP
        shown = len(units) if len(units) <= self.max_layers else self.max_layers - 1  # and a line saying so
        for index, maps in enumerate(units[:shown]):
            more = f", first {len(maps)} shown" if widths[index] > len(maps) else ""
            text.append(f"layer {index + 1}: {widths[index]} {activation}{more}\n", Style(dim=True))
            append_rows(text, *unit_rows(maps, ramp), RAMP_STYLES + [Style()], "")
        if shown < len(units):
            text.append(f"(and {len(units) - shown} more layers)")
        self.show_lines(text)
