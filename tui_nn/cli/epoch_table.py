"""Headless output of the event stream: a live Rich table on a terminal, plain lines otherwise."""

from __future__ import annotations

import math
import sys
from typing import Any

from ..engine.events import BatchProgress, EarlyStopped, EpochEnd, Event, Started
from ..render.formatting import accuracy_text, loss_text, metric_text

COLUMNS = ("epoch", "train loss", "train acc", "val loss", "val acc", "test acc", "lr", "seconds")
#: A regression's columns: the errors in the target's units and R^2 where the accuracies would be.
REGRESSION_COLUMNS = ("epoch", "train mse", "val mse", "test mse", "test mae", "test R^2", "lr", "seconds")


def columns_for(regression: bool) -> tuple[str, ...]:
    return REGRESSION_COLUMNS if regression else COLUMNS


def number_text(value: float | None) -> str:
    """An error or R^2: four significant digits (an MSE may be 1e-5 or 3,000); ``-`` when absent."""
    return loss_text(value) if value is None or math.isnan(value) else f"{value:.4g}"


def epoch_cells(event: EpochEnd) -> list[str]:
    pct, num = accuracy_text, loss_text
    if event.regression:
        err = number_text
        return [f"{event.epoch}/{event.epochs}", err(event.train_mse), err(event.val_mse), err(event.test_mse),
                err(event.test_mae), num(event.test_r2), f"{event.learning_rate:.4g}", f"{event.seconds:.2f}"]
    return [f"{event.epoch}/{event.epochs}", num(event.train_loss), pct(event.train_accuracy), num(event.val_loss),
            pct(event.val_accuracy), pct(event.test_accuracy), f"{event.learning_rate:.4g}", f"{event.seconds:.2f}"]


def is_regression_session(session: Any) -> bool:
    """Whether a prepared session's data is a regression table (its epochs carry MSE, MAE, R^2)."""
    dataset = getattr(session, "dataset", None)
    return bool(dataset is not None and dataset.is_table and getattr(dataset, "task", "") == "regression")


class OutputLost(Exception):
    """Printing failed (the reader closed the pipe, the disk is full): the run cannot report."""


class EpochPrinter:
    """Prints one row per epoch; a context manager so the live table is closed on any exit.

    On a terminal the live table is a window onto the newest epochs that fit (older rows leave the
    view, the batch progress line stays under them). A failed write raises ``OutputLost``.
    """

    def __init__(self, quiet: bool = False, stream: Any = None):
        self.quiet = quiet
        self.stream = stream or sys.stdout
        self.live = None
        self.rows: list[list[str]] = []
        self.caption = ""
        self.tty = self.stream.isatty()
        self.columns = COLUMNS

    def header(self, title: str, session: Any) -> None:
        if self.quiet:
            return
        line = (f"{title}: {session.network.describe()}, {session.optimizer!r}, batch {session.spec.training.batch_size}, "
                f"{session.feed.train_samples} training samples, seed {session.spec.seed}")
        self._write(line)
        blas = "the BLAS's own thread count" if session.blas_threads is None else f"{session.blas_threads} BLAS thread(s)"
        parts = f", conv layers in {session.part_threads} parts at once" if session.part_threads > 1 else ""
        self._write(f"threads: {blas}{parts} ({session.thread_source or 'default'})")
        self.columns = columns_for(is_regression_session(session))
        if not self.tty:
            self._write("\t".join(self.columns))

    def _write(self, line: str) -> None:
        try:
            print(line, file=self.stream, flush=True)
        except OSError as error:  # BrokenPipeError, a full disk, a closed terminal
            raise OutputLost(error.strerror or str(error)) from None

    def __enter__(self) -> "EpochPrinter":
        if self.tty and not self.quiet:
            from rich.console import Console
            from rich.live import Live

            self.live = Live(self._table(), console=Console(file=self.stream), auto_refresh=False)
            self.live.__enter__()
        return self

    def _table(self):
        from rich.table import Table

        # Header, rule lines and caption take about 6 lines; the rest shows the newest epochs.
        height = self.live.console.size.height if self.live is not None else 24
        table = Table(*self.columns, caption=self.caption or None)
        for row in self.rows[-max(3, height - 6):]:
            table.add_row(*row)
        return table

    def _refresh(self) -> None:
        self.live.update(self._table(), refresh=True)

    def __exit__(self, *exc: Any) -> None:
        if self.live is not None:
            try:
                self.live.__exit__(*exc)
            except OSError:
                pass  # the terminal went away; the caller reports why the run ended

    def show(self, event: Event) -> None:
        if self.quiet:
            return
        try:
            self._show(event)
        except OSError as error:  # BrokenPipeError, a full disk, a closed terminal
            raise OutputLost(error.strerror or str(error)) from None

    def _show(self, event: Event) -> None:
        if isinstance(event, EpochEnd):
            self.columns = columns_for(event.regression)
            if self.live is not None:
                self.rows.append(epoch_cells(event))
                self._refresh()
            else:
                self._write("\t".join(epoch_cells(event)))
        elif isinstance(event, BatchProgress) and self.live is not None:
            self.caption = f"epoch {event.epoch}: batch {event.batch}/{event.batches}, " \
                           f"{event.samples_per_second:,.0f} samples/s"
            self._refresh()
        elif isinstance(event, EarlyStopped):
            self._note(f"early stop at epoch {event.epoch}: best {event.monitor} {metric_text(event.monitor, event.best_value)} "
                       f"at epoch {event.best_epoch}{' (restored)' if event.restored_best else ''}")
        elif isinstance(event, Started) and event.diagnostics.grad_norms:
            norms = ", ".join(f"{path} {value:.3g}" for path, value in event.diagnostics.grad_norms.items())
            self._note(f"bias-gradient norm per layer before training: {norms}")

    def _note(self, text: str) -> None:
        if self.live is not None:
            self.live.console.print(text)
        else:
            self._write(text)
