"""How many BLAS threads a run uses.

Splitting a small matrix product between threads costs more than it saves: on 2 cores,
[784,100,30,10] at batch 100 trains an epoch in 0.37 s on one OpenBLAS thread and 0.5-0.6 s on two,
while [784,800,800,10] at batch 128 is 20% faster on two (`tui-nn bench`). So a network whose largest
per-batch product is small runs on one thread, unless the user has set the thread count themselves.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

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


def blas_threads_for(spec: Spec, input_shape: int | tuple[int, ...]) -> int | None:
    """1 for small networks, None (leave the BLAS as it is) for large ones or when the user chose."""
    if any(os.environ.get(name) for name in THREAD_VARIABLES):
        return None
    shape = (input_shape,) if isinstance(input_shape, int) else tuple(input_shape)
    return 1 if largest_product(spec, shape) < SMALL_PRODUCT else None


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
