"""SIGTERM ends a command the way Ctrl-C does, so a run or sweep keeps what it finished either way."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

from . import exits


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C would raise KeyboardInterrupt; ``signal_name`` tells them apart."""

    signal_name = "SIGTERM"


def stopped_by(stop: KeyboardInterrupt) -> str:
    """What stopped a command, as its message says it: ``SIGTERM`` or ``Ctrl-C``."""
    return getattr(stop, "signal_name", None) or "Ctrl-C"


@contextmanager
def terminated_as_interrupt() -> Iterator[None]:
    """SIGTERM ends a run the way Ctrl-C does: the record says so and keeps every finished epoch."""
    def handler(signum, frame):
        raise Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def stop_code(stop: KeyboardInterrupt) -> int:
    """The exit code of a command that ``stop`` ended: TERMINATED for SIGTERM, INTERRUPTED for Ctrl-C."""
    return exits.TERMINATED if isinstance(stop, Terminated) else exits.INTERRUPTED
