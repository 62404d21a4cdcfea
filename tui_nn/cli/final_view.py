"""What `tui-nn run` prints after a table's last epoch: the final metrics (R^2, MSE and MAE for a
regression), the decision map or fitted curve of a one- or two-input problem as text art (what the
app's playground shows), and a classification's confusion matrix."""

from __future__ import annotations

import math
import shutil
import sys
from typing import Any, TextIO

from ..experiment.models import confusion_matrix, confusion_text
from ..render.formatting import accuracy_text, loss_text
from ..render.playground_view import PlaygroundView

#: The width assumed when the output is not a terminal (a file, a pipe).
PLAIN_WIDTH = 80
MAX_WIDTH = 120  # wider maps only stretch the same points


def present(value: Any) -> bool:
    return isinstance(value, (int, float)) and not (isinstance(value, float) and math.isnan(value))


def regression_line(final: dict[str, Any], split: str = "test") -> str | None:
    """``final test R^2 0.9930, MSE 0.0001234, MAE 0.00812``; None without a regression's metrics."""
    r2, mse, mae = (final.get(f"{split}_{name}") for name in ("r2", "mse", "mae"))
    if not any(present(v) for v in (r2, mse, mae)):
        return None
    number = (lambda v: f"{v:.4g}" if present(v) else "-")
    return f"final {split} R^2 {loss_text(r2) if present(r2) else '-'}, MSE {number(mse)}, MAE {number(mae)}"


def final_metrics_line(final: dict[str, Any]) -> str | None:
    """The run's closing line: the test accuracy, or a regression's test R^2, MSE and MAE (the
    training set's when there is no test split)."""
    accuracy = final.get("test_accuracy")
    if present(accuracy):
        return f"final test accuracy: {accuracy_text(accuracy)}"
    return regression_line(final, "test") or regression_line(final, "train")


def wants_ascii(stream: TextIO) -> bool:
    """Plain ASCII unless the output is UTF-8 (the app's rule)."""
    encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
    return encoding not in ("utf8", "utf_8")


def output_width(stream: TextIO) -> int:
    """The terminal's width on a terminal, otherwise ``PLAIN_WIDTH``."""
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    width = shutil.get_terminal_size((PLAIN_WIDTH, 24)).columns if tty else PLAIN_WIDTH
    return max(24, min(width, MAX_WIDTH))


def picture_size(view: PlaygroundView, width: int) -> tuple[int, int]:
    """(columns, rows) of the art that fits ``width``: a map's frame takes two columns; a curve's
    also its value ticks. Rows about a third of the columns (a cell is twice as tall as wide)."""
    if view.inputs == 2 or not view.regression:
        columns = width - 2
        return columns, max(8, min(24, columns // 3))
    columns = width - 12
    return columns, max(8, min(20, columns // 4))


def picture_text(session: Any, stream: TextIO, ascii_only: bool = False) -> str | None:
    """The final decision map (two inputs) or fitted curve (one input) over the test points; None
    for images and wider tables."""
    view = PlaygroundView.from_session(session)
    if view is None:
        return None
    columns, rows = picture_size(view, output_width(stream))
    split = "test" if len(view.test_rows) else "train"
    return view.text(columns, rows, ascii_only or wants_ascii(stream), split)


def confusion_of(session: Any, columns: int | None = None) -> str | None:
    """A table classification's confusion matrix on its test split; None otherwise."""
    dataset = session.dataset
    if not dataset.is_table or dataset.task == "regression":
        return None
    batches = session.feed.eval_batches("test")
    if batches is None:
        return None
    matrix = confusion_matrix(session.network, batches, dataset.classes)
    return f"confusion matrix on the test split ({int(matrix.sum())} rows):\n" + \
        confusion_text(matrix, dataset.class_names, columns)


def print_table_results(session: Any, stream: TextIO | None = None, ascii_only: bool = False) -> None:
    """The picture and the confusion matrix of a finished table run (nothing for images);
    ``ascii_only``: `tui-nn --ascii`, as for the app."""
    stream = stream or sys.stdout
    if not session.dataset.is_table:
        return
    for part in (picture_text(session, stream, ascii_only), confusion_of(session, output_width(stream))):
        if part:
            print(part, file=stream, flush=True)
