"""The run's threads chosen by measurement per machine and network shape, and cached for an hour.

A size threshold was right on one machine and wrong on another (which BLAS kernels run, and
whether a second core helps small products, differ), so a run of a network shape on a machine
times a few hundred training steps of a throw-away copy of the network, on random
inputs, under each candidate plan, interleaved, and keeps the fastest. The choice is cached in
the home's cache folder (common/paths.py) under a key naming the BLAS library, its kernels, NumPy, the core count
and the network; a change of any of them measures again, and so does a choice older than
MAX_AGE: the same machine changes (on a shared 2-core VM, two BLAS threads ran one network 16%
faster than one thread for an hour and 25% slower the next), and a measurement costs at most
about a second. The run's own weights and random stream are untouched.

The user decides instead with ``TUI_NN_THREADS=N`` (or the BLAS's own ``OPENBLAS_NUM_THREADS``
and the like, which set the BLAS and leave it alone); a caller that knows better (a sweep's
worker, one of several processes) passes its thread count.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..common.atomic import atomic_write_text
from ..common.paths import THREAD_PLANS
from ..common.plain import PlainDataError, read_json
from .build import build_network, build_optimizer
from .records import blas_info
from .spec.schema import Spec
from .threads import cores, has_conv, plan_for, run_threads, user_threads

THREADS_ENV = "TUI_NN_THREADS"
CACHE_FILE = THREAD_PLANS
ROUNDS = 3
STEPS = 200  # per candidate and round, or STEP_BUDGET seconds, whichever comes first
STEP_BUDGET = 0.15
MAX_AGE = 3600.0  # seconds a cached choice is trusted


@dataclass(frozen=True)
class ThreadPlan:
    """BLAS threads (None: the library's own setting) and conv part threads, and where they came from."""

    blas: int | None
    parts: int
    source: str  # "user", "given" (by the caller), "cached", "measured" or "single core"


def candidates(spec: Spec) -> list[tuple[int | None, int]]:
    """(BLAS, parts) plans worth timing on this machine."""
    n = cores()
    if n == 1:
        return [(1, 1)]
    plans = [(1, 1), (n, 1)]
    if has_conv(spec):
        plans.append((1, 2))
    return plans


def choose_threads(spec: Spec, input_shape: tuple[int, ...], cache_dir: Path | None,
                   threads: int | None = None) -> ThreadPlan:
    """The plan, first found of: the user's ``TUI_NN_THREADS``; ``threads``, the caller's count
    (a sweep's worker runs on one: its processes are the parallelism); the BLAS's own variables
    (the BLAS as the user set it); the cached choice; a measurement."""
    asked = os.environ.get(THREADS_ENV, "").strip()
    if asked:
        if not asked.isdigit() or int(asked) < 1:
            raise ValueError(f"{THREADS_ENV}={asked!r}: must be a whole number of threads, 1 or more")
        return ThreadPlan(*plan_for(spec, int(asked)), "user")
    if threads is not None:
        if threads < 1:
            raise ValueError(f"threads={threads}: must be a whole number of threads, 1 or more")
        return ThreadPlan(*plan_for(spec, threads), "given")
    if user_threads() is not None:
        blas_set = user_threads()
        return ThreadPlan(None, min(2, blas_set) if has_conv(spec) else 1, "user")
    options = candidates(spec)
    if len(options) == 1:
        return ThreadPlan(*options[0], "single core")
    key = cache_key(spec, input_shape)
    cache = _read_cache(cache_dir)
    if key in cache and _fresh(cache[key]):
        return ThreadPlan(cache[key]["blas"], cache[key]["parts"], "cached")
    timings = measure(spec, input_shape, options)
    blas, parts = min(timings, key=timings.get)
    if cache_dir is not None:
        cache[key] = {"blas": blas, "parts": parts, "measured_at": time.time(),
                      "seconds_per_step": {f"blas={b} parts={p}": s for (b, p), s in timings.items()}}
        try:
            atomic_write_text(cache_dir / CACHE_FILE, json.dumps(cache, indent=1, sort_keys=True))
        except OSError:
            pass  # an unwritable cache costs a measurement next time, nothing more
    return ThreadPlan(blas, parts, "measured")


def cache_key(spec: Spec, input_shape: tuple[int, ...]) -> str:
    blas = blas_info()
    machine = (f"{blas.get('library')} {blas.get('version')} {blas.get('architecture')} "
               f"coretype={os.environ.get('OPENBLAS_CORETYPE', '')} numpy {np.__version__} cores {cores()}")
    layers = ",".join(f"{layer.type}:{layer.units or layer.filters}:{layer.kernel}:{layer.stride}"
                      for layer in spec.model.layers)
    network = (f"{'x'.join(map(str, input_shape))} [{layers}] batch {spec.training.batch_size} "
               f"{spec.training.dtype} {spec.optimizer.name}")
    return f"{machine} | {network}"


def measure(spec: Spec, input_shape: tuple[int, ...], options) -> dict[tuple[int | None, int], float]:
    """Median seconds per training step of each plan, over interleaved rounds."""
    rng = np.random.default_rng(0)
    network = build_network(spec, input_shape, rng)
    optimizer = build_optimizer(spec)
    batch = spec.training.batch_size
    x = rng.random((batch, int(np.prod(input_shape))), dtype=np.float32).astype(spec.training.dtype)
    labels = rng.integers(0, network.output_units, batch)
    seconds: dict[tuple[int | None, int], list[float]] = {plan: [] for plan in options}
    with np.errstate(all="ignore"):  # random data may drive a throw-away network anywhere
        for _ in range(ROUNDS):
            for plan in options:
                with run_threads(*plan):
                    for _ in range(3):  # settle the thread pools
                        network.loss_and_grads(x, labels)
                    started, steps = time.perf_counter(), 0
                    while steps < STEPS and time.perf_counter() - started < STEP_BUDGET:
                        network.loss_and_grads(x, labels)
                        optimizer.step_packed(network.flat_params, network.flat_grads, network.layout)
                        steps += 1
                    seconds[plan].append((time.perf_counter() - started) / steps)
    return {plan: statistics.median(values) for plan, values in seconds.items()}


def _fresh(entry: dict) -> bool:
    measured_at = entry.get("measured_at")
    return isinstance(measured_at, (int, float)) and 0 <= time.time() - measured_at < MAX_AGE


def _read_cache(cache_dir: Path | None) -> dict:
    if cache_dir is None:
        return {}
    try:
        cache = read_json(cache_dir / CACHE_FILE)
    except PlainDataError:
        return {}  # missing or damaged: measure again and write it anew
    return cache if isinstance(cache, dict) and all(_entry_ok(v) for v in cache.values()) else {}


def _entry_ok(entry: Any) -> bool:
    """A cached plan of the right types: any other entry makes the whole cache be measured anew."""
    def whole(value: Any, smallest: int) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and smallest <= value <= 1024

    return (isinstance(entry, dict) and (entry.get("blas") is None or whole(entry.get("blas"), 1))
            and whole(entry.get("parts"), 1) and "blas" in entry
            and isinstance(entry.get("measured_at", 0), (int, float)) and not isinstance(entry.get("measured_at"), bool))


def describe(plan: ThreadPlan) -> dict:
    return asdict(plan)
