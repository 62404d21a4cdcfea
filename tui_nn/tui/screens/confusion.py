"""A saved model's confusion matrix on its test split: counts always shown, the diagonal bracketed
and underlined, rows shaded by their share (so it reads with and without colour; the cursor alone
is in reverse video), recall and precision per class; Enter on a cell opens the gallery of exactly
those test images."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer

from ...experiment.models import open_on_test_split
from ...render.formatting import accuracy_text
from ..messages import Predictions
from ..navigation import Gallery, go
from ..widgets.scrolling import Table
from .model_screen import ModelScreen


def count_cell(count: int, share: float, diagonal: bool, shaded: bool = True) -> Text:
    """One count, six cells wide, shaded by its share of the row (not without colour: a grey shade
    would take the place of the cursor's light band and hide the count under it). The diagonal:
    bracketed (up to 9999, the column's width) and bold underlined, which NO_COLOR keeps."""
    text = f"[{count}]" if diagonal and count < 10_000 else str(count)
    # The count and the brackets carry the meaning without colour; the shade only adds to it.
    shade = int(40 + 160 * share) if count and shaded else 0
    style = f"on rgb({shade},{shade // 2},{shade // 3})" if shade else ""
    return Text(text.rjust(6), style=f"bold underline {style}".strip() if diagonal else style)


class ConfusionScreen(ModelScreen):
    HELP_TITLE = "Confusion matrix"
    DEFAULT_CSS = """
    ConfusionScreen #confusion-status { height: auto; padding: 0 1; background: $panel; }
    ConfusionScreen #confusion { height: 1fr; }
    """
    BINDINGS = [Binding("enter", "open", "Gallery of the cell"), Binding("escape", "back", "Back")]

    STATUS_ID = "confusion-status"

    def __init__(self, model_path: Path):
        super().__init__(model_path)
        self.matrix: np.ndarray | None = None
        self.predictions: Predictions | None = None
        self.names: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield self.status_line("evaluating")
        yield Table(id="confusion", cursor_type="cell", cell_padding=0)
        yield Footer()

    def read(self):
        model = open_on_test_split(self.model_path, str(self.app.home))
        probabilities = model.network.predict_proba(model.to_float(model.images))
        predictions = Predictions(int(model.meta.get("epoch", 0)), probabilities, model.labels, model.images.copy())
        return predictions, model.class_names, model.source

    def ready(self, content) -> None:
        self.show(*content)

    def show(self, predictions: Predictions, names: tuple[str, ...], source: str) -> None:
        self.predictions, self.names = predictions, names
        classes = len(names)
        predicted = predictions.probabilities.argmax(axis=1)
        matrix = np.zeros((classes, classes), np.int64)
        np.add.at(matrix, (predictions.labels, predicted), 1)
        self.matrix = matrix
        accuracy = np.trace(matrix) / max(matrix.sum(), 1)
        self.set_status(
            f"[b]{self.model_path.name}[/b]: test accuracy {accuracy_text(float(accuracy))} on {int(matrix.sum())} "
            f"images ({source}); rows true, columns predicted, the diagonal \\[n]; Enter: a cell's images")
        table = self.query_one(DataTable)
        table.add_column(Text("true\\pred"), width=9)
        for name in names:
            table.add_column(Text(name[:6].rjust(6)), width=6)
        table.add_column(Text(" recall"), width=7)
        for i in range(classes):
            total = max(int(matrix[i].sum()), 1)
            cells = [Text(names[i][:9])]
            for j in range(classes):
                cells.append(count_cell(int(matrix[i, j]), matrix[i, j] / total, diagonal=i == j,
                                        shaded=not self.app.no_color))
            cells.append(Text(f"{matrix[i, i] / total:.1%}".rjust(7)))
            table.add_row(*cells)
        column_totals = matrix.sum(axis=0)
        table.add_row(Text("precision"), *(Text((f"{matrix[j, j] / column_totals[j]:.0%}" if column_totals[j]
                                                 else "-").rjust(6)) for j in range(classes)), Text(""))
        table.move_cursor(row=0, column=1)
        table.focus()

    def action_open(self) -> None:
        if self.matrix is None or self.predictions is None:
            return
        row, column = self.query_one(DataTable).cursor_coordinate
        classes = len(self.names)
        if not (row < classes and 1 <= column <= classes):
            return
        true, predicted = row, column - 1
        if self.matrix[true, predicted] == 0:
            self.notify(f"no test image of {self.names[true]} was predicted {self.names[predicted]}")
            return
        go(self, Gallery(self.predictions, self.names, true_class=true, predicted_class=predicted))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        self.action_open()
