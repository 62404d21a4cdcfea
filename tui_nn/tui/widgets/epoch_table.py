"""The per-epoch table: one short row appended per epoch, never cleared and rebuilt."""

from __future__ import annotations

from textual.widgets import DataTable

from ...engine.events import EpochEnd


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.2f}"


class EpochTable(DataTable):
    DEFAULT_CSS = "EpochTable { height: 1fr; }"
    COLUMNS = ("ep", "loss", "train%", "val loss", "val%", "test%", "lr", "sec")

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.add_columns(*self.COLUMNS)

    def add_epoch(self, event: EpochEnd) -> None:
        val_loss = "-" if event.val_loss is None else f"{event.val_loss:.4f}"
        self.add_row(str(event.epoch), f"{event.train_loss:.4f}", pct(event.train_accuracy), val_loss,
                     pct(event.val_accuracy), pct(event.test_accuracy), f"{event.learning_rate:.3g}",
                     f"{event.seconds:.1f}", key=str(event.epoch))
        self.move_cursor(row=self.row_count - 1)
