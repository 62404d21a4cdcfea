"""Decision maps and fitted curves as plain text: what the playground shows, readable without
colour and, with ``ascii_only``, in plain ASCII.

A classification's regions are shades (one per class) with the data points on top as glyphs (one
per class); a regression's output is a ramp of shades from its lowest to its highest value; a
one-input problem's fit is drawn over its target.
"""

from __future__ import annotations

import numpy as np

from .decision_map import MapGrid

#: One glyph per class for the data points: ASCII, so the same in every mode.
POINT_GLYPHS = ("o", "x", "+", "*", "#", "@", "%", "&", "$", "=")
#: One shade per class for the regions (the first class left blank).
REGION_FILLS = (" ", "░", "▒", "▓", "·", "╌")
REGION_FILLS_ASCII = (" ", ".", ":", "-", "~", "'")
#: Low to high, for a regression's output.
RAMP = " ·░▒▓█"
RAMP_ASCII = " .:-=+*%@"
TARGET_MARK, FIT_MARK, BOTH_MARK = ".", "*", "#"


def point_glyph(cls: int) -> str:
    return POINT_GLYPHS[cls % len(POINT_GLYPHS)]


def region_fill(cls: int, ascii_only: bool = False) -> str:
    fills = REGION_FILLS_ASCII if ascii_only else REGION_FILLS
    return fills[cls % len(fills)]


def ramp_index(values: np.ndarray, low: float, high: float, levels: int) -> np.ndarray:
    if high <= low:
        return np.zeros(np.shape(values), np.intp)
    return np.clip(((np.asarray(values) - low) / (high - low) * levels).astype(np.intp), 0, levels - 1)


def place_points(grid: MapGrid, points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The (row, column) cell of each point inside the grid, and which points those are."""
    rows, columns = grid.values.shape
    (x0, x1), (y0, y1) = grid.x_range, grid.y_range
    column = np.floor((points[:, 0] - x0) / (x1 - x0) * columns).astype(np.intp)
    row = rows - 1 - np.floor((points[:, 1] - y0) / (y1 - y0) * rows).astype(np.intp)
    inside = (column >= 0) & (column < columns) & (row >= 0) & (row < rows)
    return row[inside], column[inside], np.flatnonzero(inside)


def map_lines(grid: MapGrid, points: np.ndarray | None = None, labels: np.ndarray | None = None,
              ascii_only: bool = False) -> list[str]:
    """One character per grid cell: the regions (or the output's shade) with ``points`` on top,
    a glyph for each point's class (``labels``; a regression's points are all ``o``). A cell with
    several points shows the last one drawn."""
    if grid.regression:
        ramp = RAMP_ASCII if ascii_only else RAMP
        low, high = float(np.min(grid.values)), float(np.max(grid.values))
        cells = np.array(list(ramp))[ramp_index(grid.values, low, high, len(ramp))]
    else:
        fills = np.array([region_fill(c, ascii_only) for c in range(max(grid.classes, 1))])
        cells = fills[np.asarray(grid.values) % len(fills)]
    cells = cells.astype("<U1")
    if points is not None and len(points):
        row, column, which = place_points(grid, np.asarray(points, np.float64))
        if grid.regression or labels is None:
            cells[row, column] = point_glyph(0)
        else:
            cells[row, column] = [point_glyph(int(c)) for c in np.asarray(labels)[which]]
    return ["".join(line) for line in cells]


def map_legend(grid: MapGrid, class_names: tuple[str, ...] = (), ascii_only: bool = False) -> str:
    """What the glyphs and shades mean, in one line."""
    if grid.regression:
        ramp = RAMP_ASCII if ascii_only else RAMP
        low, high = float(np.min(grid.values)), float(np.max(grid.values))
        return f"o data points; output {low:.3g} '{ramp[0]}' ... '{ramp[-1]}' {high:.3g}"
    names = class_names or tuple(str(c) for c in range(grid.classes))
    points = "  ".join(f"{point_glyph(c)} {name}" for c, name in enumerate(names))
    regions = "  ".join(f"'{region_fill(c, ascii_only)}' {name}" for c, name in enumerate(names))
    return f"points: {points}; regions: {regions}"


def map_text(grid: MapGrid, points: np.ndarray | None = None, labels: np.ndarray | None = None,
             class_names: tuple[str, ...] = (), ascii_only: bool = False, axes: tuple[str, str] = ("x1", "x2")) -> str:
    """The map framed, with its ranges and legend: what ``tui-nn run`` prints at the end."""
    lines = map_lines(grid, points, labels, ascii_only)
    width = len(lines[0]) if lines else 0
    side, top = ("|", "-") if ascii_only else ("│", "─")
    first, last = (("+", "+"), ("+", "+")) if ascii_only else (("┌", "┐"), ("└", "┘"))
    (x0, x1), (y0, y1) = grid.x_range, grid.y_range
    vertical = bool(axes[1])  # a one-input strip has no second axis to label
    out = [f"{axes[1]} {y1:.3g}"] if vertical else []
    out.append(first[0] + top * width + first[1])
    out += [side + line + side for line in lines]
    out.append(last[0] + top * width + last[1])
    below = f"{axes[1]} {y0:.3g}".ljust(max(0, width // 2 - 4)) if vertical else " " * max(0, width // 2 - 4)
    out.append(below + f"  {axes[0]} {x0:.3g} .. {x1:.3g}")
    out.append(map_legend(grid, class_names, ascii_only))
    return "\n".join(out)


def curve_lines(xs: np.ndarray, fitted: np.ndarray, target_x: np.ndarray, target_y: np.ndarray,
                columns: int = 60, rows: int = 16) -> tuple[list[str], tuple[float, float]]:
    """A one-input fit as a plot: the target's points as ``.``, the network's curve as ``*``, and
    ``#`` where both fall in one cell; with the plot's (low, high) output range."""
    low = float(min(np.min(fitted), np.min(target_y)))
    high = float(max(np.max(fitted), np.max(target_y)))
    x0, x1 = float(min(np.min(xs), np.min(target_x))), float(max(np.max(xs), np.max(target_x)))
    cells = np.full((rows, columns), " ", "<U1")

    def mark(x: np.ndarray, y: np.ndarray, glyph: str) -> None:
        column = np.clip(((np.asarray(x) - x0) / max(x1 - x0, 1e-12) * columns).astype(np.intp), 0, columns - 1)
        row = rows - 1 - ramp_index(y, low, high, rows) if high > low else np.full(len(column), rows // 2)
        for r, c in zip(row, column):
            cells[r, c] = BOTH_MARK if cells[r, c] not in (" ", glyph) else glyph

    mark(target_x, target_y, TARGET_MARK)
    mark(xs, fitted, FIT_MARK)
    return ["".join(line) for line in cells], (low, high)


def curve_text(xs: np.ndarray, fitted: np.ndarray, target_x: np.ndarray, target_y: np.ndarray,
               columns: int = 60, rows: int = 16, ascii_only: bool = False, axis: str = "x") -> str:
    """The fit framed with its ranges and a legend (plain ASCII characters in either mode)."""
    lines, (low, high) = curve_lines(xs, fitted, target_x, target_y, columns, rows)
    side = "|" if ascii_only else "│"
    label = max(len(f"{high:.3g}"), len(f"{low:.3g}"))
    out = []
    for index, line in enumerate(lines):
        tick = f"{high:.3g}" if index == 0 else f"{low:.3g}" if index == len(lines) - 1 else ""
        out.append(tick.rjust(label) + " " + side + line + side)
    x0, x1 = float(min(np.min(xs), np.min(target_x))), float(max(np.max(xs), np.max(target_x)))
    out.append(" " * (label + 2) + f"{axis} {x0:.3g} .. {x1:.3g}")
    out.append(f"{TARGET_MARK} target  {FIT_MARK} network  {BOTH_MARK} both")
    return "\n".join(out)
