"""Headless output of the event stream: a live Rich table on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
from typing import Any

from .engine.events import BatchProgress, Diverged, EarlyStopped, EpochEnd, Event, Started

COLUMNS = ("epoch", "train loss", "train acc", "val loss", "val acc", "test acc", "lr", "seconds")


def epoch_cells(event: EpochEnd) -> list[str]:
    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:.2%}"

    def num(value: float | None) -> str:
        return "-" if value is None else f"{value:.4f}"

    return [f"{event.epoch}/{event.epochs}", num(event.train_loss), pct(event.train_accuracy), num(event.val_loss),
            pct(event.val_accuracy), pct(event.test_accuracy), f"{event.learning_rate:.4g}", f"{event.seconds:.2f}"]


class EpochPrinter:
    """Prints one row per epoch; a context manager so the live table is closed on any exit."""

    def __init__(self, quiet: bool = False, stream: Any = None):
        self.quiet = quiet
        self.stream = stream or sys.stdout
        self.live = None
        self.table = None
        self.tty = self.stream.isatty()

    def header(self, title: str, session: Any) -> None:
        if self.quiet:
            return
        line = (f"{title}: {session.network.describe()}, {session.optimizer!r}, batch {session.spec.training.batch_size}, "
                f"{session.feed.train_samples} training samples, seed {session.spec.seed}")
        print(line, file=self.stream)
        blas = "the BLAS's own thread count" if session.blas_threads is None else f"{session.blas_threads} BLAS thread(s)"
        parts = f", conv layers in {session.part_threads} parts at once" if session.part_threads > 1 else ""
        print(f"threads: {blas}{parts} ({session.thread_source or 'default'})", file=self.stream)
        if not self.tty:
            print("\t".join(COLUMNS), file=self.stream)

    def __enter__(self) -> "EpochPrinter":
        if self.tty and not self.quiet:
            from rich.live import Live
            from rich.table import Table

            self.table = Table(*COLUMNS)
            self.live = Live(self.table, auto_refresh=False)
            self.live.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.live is not None:
            self.live.__exit__(*exc)

    def show(self, event: Event) -> None:
        if self.quiet:
            return
        if isinstance(event, EpochEnd):
            if self.table is not None:
                self.table.add_row(*epoch_cells(event))
                self.live.refresh()
            else:
                print("\t".join(epoch_cells(event)), file=self.stream, flush=True)
        elif isinstance(event, BatchProgress) and self.live is not None:
            self.table.caption = f"epoch {event.epoch}: batch {event.batch}/{event.batches}, " \
                                 f"{event.samples_per_second:,.0f} samples/s"
            self.live.refresh()
        elif isinstance(event, EarlyStopped):
            self._note(f"early stop at epoch {event.epoch}: best {event.monitor} {event.best_value:.4f} "
                       f"at epoch {event.best_epoch}{' (restored)' if event.restored_best else ''}")
        elif isinstance(event, Diverged):
            self._note(f"diverged: {event.reason}")
        elif isinstance(event, Started) and event.diagnostics.grad_norms:
            norms = ", ".join(f"{path} {value:.3g}" for path, value in event.diagnostics.grad_norms.items())
            self._note(f"bias-gradient norm per layer before training: {norms}")

    def _note(self, text: str) -> None:
        if self.live is not None:
            self.live.console.print(text)
        else:
            print(text, file=self.stream)
