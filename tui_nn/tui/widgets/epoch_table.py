"""The per-epoch table: one short row appended per epoch, never cleared and rebuilt."""

from __future__ import annotations

from rich.text import Text

from ...engine.events import EpochEnd
from ...render.formatting import loss_text, percent_number
from .scrolling import Table

# (heading, width): fixed-width, right-aligned cells without cell padding, so that all eight
# columns fit beside the curves in an 80-column terminal.
COLUMNS = (("ep", 3), ("loss", 7), ("train%", 7), ("v.loss", 7), ("val%", 6), ("test%", 6), ("lr", 8), ("s", 5))




def cells(event: EpochEnd) -> list[str]:
    return metric_cells(event.metrics())


def metric_cells(m: dict) -> list[str]:
    """A record's per-epoch object (EpochEnd.metrics) as the table's cells."""
    rate, seconds = m.get("learning_rate"), m.get("seconds")
    return [str(m.get("epoch", "")), loss_text(m.get("train_loss")), percent_number(m.get("train_accuracy")), loss_text(m.get("val_loss")),
            percent_number(m.get("val_accuracy")), percent_number(m.get("test_accuracy")), "-" if rate is None else f"{rate:.3g}",
            "-" if seconds is None else f"{seconds:.1f}"]


class EpochTable(Table):
    # A one-column scrollbar and no horizontal one: the eight columns (49 cells) fill the width exactly.
    DEFAULT_CSS = "EpochTable { height: 1fr; scrollbar-size-vertical: 1; overflow-x: hidden; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(cell_padding=0, **kwargs)

    def on_mount(self) -> None:
        self.cursor_type = "row"
        for heading, width in COLUMNS:
            self.add_column(Text(heading.rjust(width)), width=width)

    def add_epoch(self, event: EpochEnd) -> None:
        self.add_metrics(event.metrics())

    def add_metrics(self, metrics: dict) -> None:
        row = [Text(cell.rjust(width)) for cell, (_, width) in zip(metric_cells(metrics), COLUMNS)]
        self.add_row(*row, key=str(metrics.get("epoch", self.row_count + 1)))
        self.move_cursor(row=self.row_count - 1)
