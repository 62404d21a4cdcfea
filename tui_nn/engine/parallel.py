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

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

_threads = 1
_pool: ThreadPoolExecutor | None = None


@contextmanager
def use_threads(count: int) -> Iterator[None]:
    """Run the parts of ``run_parts`` on ``count`` threads (1 or 2) inside the block."""
    global _threads, _pool
    previous, _threads = _threads, max(1, min(int(count), 2))
    if _threads > 1 and _pool is None:
        _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tui-nn-part")
    try:
        yield
    finally:
        _threads = previous


def threads() -> int:
    return _threads


def run_parts(work: Callable[[int], None], parts: int) -> None:
    """``work(i)`` for every part i: the second part on the pool's thread when two are allowed."""
    if parts == 2 and _threads > 1 and _pool is not None:
        other = _pool.submit(work, 1)
        work(0)
        other.result()
        return
    for index in range(parts):
        work(index)


def split(rows: int, min_part: int) -> list[tuple[int, int]]:
    """Two halves when each has at least ``min_part`` rows, else the whole."""
    if rows < 2 * min_part:
        return [(0, rows)]
    middle = rows // 2
    return [(0, middle), (middle, rows)]
