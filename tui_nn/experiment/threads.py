"""How many threads a run uses: the BLAS's, and the conv layers' batch parts (engine/parallel.py).

Splitting a small matrix product between threads costs more than it saves: on 2 cores,
[784,100,30,10] at batch 100 trains an epoch in 0.37 s on one OpenBLAS thread and 0.5-0.6 s on two,
while [784,800,800,10] at batch 128 is 20% faster on two (`tui-nn bench`). So a network whose largest
per-batch product is small runs on one thread, unless the user has set the thread count themselves.

A conv network instead computes each conv layer's batch as two parts on two threads, each with a
one-thread BLAS: its products are small and its patch copies and scatters are single-threaded
NumPy, so whole parts in parallel use both cores where a threaded BLAS would only spin on the
second (measured for N15 at batch 64: see README, Speed).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from ..engine.parallel import use_threads
from .architecture import summarize
from .spec import Spec

#: Multiply-adds in the largest per-batch product below which one thread is faster.
SMALL_PRODUCT = 20_000_000
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def largest_product(spec: Spec, input_shape: tuple[int, ...]) -> int:
    """Multiply-adds of the largest per-batch matrix product (a dense layer, or a conv layer's
    patch product)."""
    rows, _, _ = summarize(spec, input_shape)
    return spec.training.batch_size * max((row.multiply_adds for row in rows), default=0)


def user_threads() -> int | None:
    """The thread count the user set in the environment, if any."""
    for name in THREAD_VARIABLES:
        value = os.environ.get(name, "").strip()
        if value:
            return int(value) if value.isdigit() and int(value) > 0 else 1
    return None


def has_conv(spec: Spec) -> bool:
    return any(layer.type == "conv2d" for layer in spec.model.layers)


def blas_threads_for(spec: Spec, input_shape: int | tuple[int, ...]) -> int | None:
    """1 for small networks and conv networks, None (leave the BLAS as it is) for large dense
    ones or when the user chose."""
    if user_threads() is not None:
        return None
    if has_conv(spec):
        return 1
    shape = (input_shape,) if isinstance(input_shape, int) else tuple(input_shape)
    return 1 if largest_product(spec, shape) < SMALL_PRODUCT else None


def part_threads_for(spec: Spec) -> int:
    """Threads for a conv network's batch parts: two where two cores are free to the process
    (or the user's thread count allows two), else one."""
    if not has_conv(spec):
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    chosen = user_threads()
    return max(1, min(2, cores, chosen if chosen is not None else cores))


@contextmanager
def run_threads(blas: int | None, parts: int = 1) -> Iterator[None]:
    """The BLAS thread limit and the engine's part threads, for the block."""
    with use_threads(parts), blas_threads(blas):
        yield


@contextmanager
def blas_threads(limit: int | None) -> Iterator[None]:
    if limit is None:
        yield
        return
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # without threadpoolctl the BLAS keeps its own default
        yield
        return
    with threadpool_limits(limits=limit, user_api="blas"):
        yield
