"""The per-epoch table: one short row appended per epoch, never cleared and rebuilt."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from ...engine.events import EpochEnd

# (heading, width): fixed-width, right-aligned cells without cell padding, so that all eight
# columns fit beside the curves in an 80-column terminal.
COLUMNS = (("ep", 3), ("loss", 7), ("train%", 7), ("v.loss", 7), ("val%", 6), ("test%", 6), ("lr", 8), ("s", 5))


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.2f}"


def loss(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def cells(event: EpochEnd) -> list[str]:
    return [str(event.epoch), loss(event.train_loss), pct(event.train_accuracy), loss(event.val_loss),
            pct(event.val_accuracy), pct(event.test_accuracy), f"{event.learning_rate:.3g}", f"{event.seconds:.1f}"]


class EpochTable(DataTable):
    # A one-column scrollbar and no horizontal one: the eight columns (49 cells) fill the width exactly.
    DEFAULT_CSS = "EpochTable { height: 1fr; scrollbar-size-vertical: 1; overflow-x: hidden; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(cell_padding=0, **kwargs)

    def on_mount(self) -> None:
        self.cursor_type = "row"
        for heading, width in COLUMNS:
            self.add_column(Text(heading.rjust(width)), width=width)

    def add_epoch(self, event: EpochEnd) -> None:
        row = [Text(cell.rjust(width)) for cell, (_, width) in zip(cells(event), COLUMNS)]
        self.add_row(*row, key=str(event.epoch))
        self.move_cursor(row=self.row_count - 1)
