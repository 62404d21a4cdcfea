"""Thread plans: the BLAS's threads and the conv layers' batch parts (engine/parallel.py).

A plan is (BLAS threads, part threads). A dense network spends extra threads on the BLAS; a conv
network on its batch parts with a one-thread BLAS, since its products are small and its patch
copies and scatters are single-threaded NumPy (a threaded BLAS would only spin on the other
core). Which plan a run uses is measured per machine and network and cached for an hour (thread_choice.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from ..engine.parallel import use_threads
from .spec.schema import Spec

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def user_threads() -> int | None:
    """The thread count the user set in the environment, if any."""
    for name in THREAD_VARIABLES:
        value = os.environ.get(name, "").strip()
        if value:
            return int(value) if value.isdigit() and int(value) > 0 else 1
    return None


def has_conv(spec: Spec) -> bool:
    return any(layer.type == "conv2d" for layer in spec.model.layers)


def cores() -> int:
    """Cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def plan_for(spec: Spec, threads: int) -> tuple[int, int]:
    """(BLAS threads, conv part threads) that use ``threads`` threads: a conv net spends them on
    its batch parts with a one-thread BLAS, a dense net on the BLAS."""
    if threads == 1:
        return 1, 1
    return (1, min(threads, 2)) if has_conv(spec) else (threads, 1)


@contextmanager
def run_threads(blas: int | None, parts: int = 1) -> Iterator[None]:
    """The BLAS thread limit and the engine's part threads, for the block."""
    with use_threads(parts), blas_threads(blas):
        yield


@lru_cache(maxsize=1)
def _controller():
    """The BLAS libraries loaded now (NumPy's), found once: finding them costs about a millisecond."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@contextmanager
def quick_blas_threads(limit: int) -> Iterator[None]:
    """``blas_threads`` for a block that takes well under a millisecond (one prediction, as a
    stroke on the draw screen asks for), with the libraries found once: it limits the BLAS loaded
    when first called, not one loaded later."""
    try:
        controller = _controller()
    except ImportError:
        yield
        return
    with controller.limit(limits=limit, user_api="blas"):
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
