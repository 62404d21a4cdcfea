"""Independent parts of a batch computed on two threads.

Conv layers split a large enough batch into fixed parts (decided by the batch size alone) and
compute each part completely, matrix products included; the parts' weight gradients are summed
in a fixed order. The work is therefore the same whether the parts run one after the other or
at once, and so is every result, bit for bit: the thread count changes the speed only. NumPy and
a one-thread BLAS release the GIL, so two parts run on two cores at once (a multi-threaded BLAS
does little for these small products and its idle threads spin on the other core).

The default is one thread; ``use_threads`` is set by whoever chooses the run's threads (the
experiment layer).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_threads = 1


class _Partner:
    """One kept thread that runs the second part. Two locks hand the work over and back: a round
    trip costs about 12 us, against 45 us through a ThreadPoolExecutor's future (four hand-offs
    a step in a two-conv network)."""

    def __init__(self) -> None:
        self._go = threading.Lock()
        self._done = threading.Lock()
        self._busy = threading.Lock()  # one caller at a time; another runs its parts itself
        self._go.acquire()
        self._done.acquire()
        self._work: Callable[[], None] = lambda: None
        self._error: BaseException | None = None
        self.abandoned = False
        threading.Thread(target=self._serve, name="tui-nn-part", daemon=True).start()

    def _serve(self) -> None:
        while True:
            self._go.acquire()
            try:
                self._work()
            except BaseException as error:  # handed to the caller, which raises it
                self._error = error
            self._done.release()

    def run_pair(self, work: Callable[[int], None]) -> bool:
        """``work(1)`` on the partner thread while ``work(0)`` runs on the caller's; False (nothing
        run) when another caller has the partner or it was abandoned."""
        if not self._busy.acquire(blocking=False):
            return False
        try:
            if self.abandoned:
                return False
            self._error = None
            self._work = lambda: work(1)
            self._go.release()
            try:
                work(0)
            finally:
                self._wait()
            if self._error is not None:
                raise self._error
            return True
        finally:
            self._busy.release()

    def _wait(self) -> None:
        try:
            self._done.acquire()
        except BaseException:  # Ctrl-C while waiting: the partner may still be busy, never reuse it
            self.abandoned = True
            raise


_partner: _Partner | None = None


@contextmanager
def use_threads(count: int) -> Iterator[None]:
    """Run the parts of ``run_parts`` on ``count`` threads (1 or 2) inside the block."""
    global _threads, _partner
    previous, _threads = _threads, max(1, min(int(count), 2))
    if _threads > 1 and (_partner is None or _partner.abandoned):
        _partner = _Partner()
    try:
        yield
    finally:
        _threads = previous


def threads() -> int:
    return _threads


def run_parts(work: Callable[[int], None], parts: int) -> None:
    """``work(i)`` for every part i: the second part on the partner thread when two are allowed."""
    if parts == 2 and _threads > 1 and _partner is not None and _partner.run_pair(work):
        return
    for index in range(parts):
        work(index)


def split(rows: int, min_part: int) -> list[tuple[int, int]]:
    """Two halves when each has at least ``min_part`` rows, else the whole."""
    if rows < 2 * min_part:
        return [(0, rows)]
    middle = rows // 2
    return [(0, middle), (middle, rows)]
