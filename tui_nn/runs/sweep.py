"""A sweep's points trained in parallel worker processes (or through another executor's submit,
as dask.py does), each finished point stored in the preset's sweep folder as it arrives.

The points come from experiment/sweep_plan.py; each is stored under a hash of its whole spec, so
running a sweep again (after an interruption, or with a wider grid) trains only the points that
have no finished record yet. A worker trains one point as runs/point.py says, on one thread.
"""

from __future__ import annotations

import concurrent.futures
import json
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import resource_tracker
from pathlib import Path
from typing import Any

from ..common import paths
from ..common.atomic import atomic_write_bytes, atomic_write_text
from ..experiment.models import MODEL_SUFFIX
from ..experiment.records import read_record
from ..experiment.sweep_plan import Point, describe_settings
from .point import MODEL_BYTES, WORKER_THREADS, train_point

FINISHED = ("completed", "early_stopped", "diverged")


def sweep_folder(home: Path, preset_key: str) -> Path:
    return paths.runs_dir(home) / "sweeps" / preset_key


def recorded_sweeps(home: Path) -> list[str]:
    """The presets whose sweeps have recorded points (their folders under the runs folder)."""
    root = paths.runs_dir(home) / "sweeps"
    try:
        folders = [p for p in root.iterdir() if p.is_dir()]
    except OSError:
        return []
    return sorted(p.name for p in folders if any(p.glob("*.json")))


def finished_record(folder: Path, point: Point) -> dict[str, Any] | None:
    path = folder / f"{point.id}.json"
    if not path.is_file():
        return None
    try:
        record = read_record(path)
    except ValueError:
        return None
    return record if record.get("status") in FINISHED else None


def _worker_setup(quiet: bool = False) -> None:
    """A local worker process's start; ``quiet`` sends its output nowhere (under a full-screen app
    it would draw over the screen; results and errors come back through the pool anyway)."""
    if quiet:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
    # Ctrl-C reaches the whole process group: the sweep (the parent) decides, workers do not
    # print tracebacks of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def store_point(folder: Path, point_id: str, record: dict[str, Any]) -> None:
    """A finished point's model (when it kept one), then its record naming it."""
    model = record.pop(MODEL_BYTES, None)
    if model is not None:
        name = point_id + MODEL_SUFFIX
        atomic_write_bytes(folder / name, model)
        record["model"] = name
    atomic_write_text(folder / f"{point_id}.json", json.dumps(record, indent=1))


@dataclass
class SweepProgress:
    """What a sweep reports as points finish."""

    total: int
    done: int = 0
    reused: int = 0
    reruns: int = 0
    failures: list[str] = field(default_factory=list)


def _start_resource_tracker() -> None:
    """Start multiprocessing's helper process with a real stderr: under a full-screen app
    sys.stderr is a capture without a file descriptor, which it would fail to pass on."""
    try:
        usable = sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        return
    saved = sys.stderr
    with open(os.devnull, "w") as devnull:
        sys.stderr = devnull
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = saved


class SweepStopped(Exception):
    """The sweep was asked to stop (``stop`` returned True): finished points stay stored."""


def run_sweep(preset_key: str, todo: list[Point], folder: Path, home: Path, workers: int,
              on_point: Callable[[Point, dict[str, Any], SweepProgress], None],
              progress: SweepProgress, submit: Callable | None = None,
              completed: Callable[[list], Iterator] | None = None, stop: Callable[[], bool] | None = None,
              quiet_workers: bool = False) -> None:
    """Train ``todo`` on ``workers`` processes (or through ``submit`` and ``completed``, another
    executor's submit and as-completed), storing each record as it arrives. An interruption, or
    ``stop()`` turning true, leaves every finished point stored and ends the workers."""
    folder.mkdir(parents=True, exist_ok=True)
    executor = None
    if submit is None:
        _start_resource_tracker()
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_worker_setup, initargs=(quiet_workers,))
        submit = lambda point: executor.submit(train_point, point.raw, preset_key, str(home),  # noqa: E731
                                               WORKER_THREADS)

    def as_they_finish(futures: list) -> Iterator:
        waiting = set(futures)
        while waiting:
            done, waiting = concurrent.futures.wait(waiting, timeout=0.25, return_when=concurrent.futures.FIRST_COMPLETED)
            if stop is not None and stop():
                raise SweepStopped()
            yield from done

    completed = completed or as_they_finish
    try:
        pending = {submit(point): point for point in todo}
        for future in completed(list(pending)):
            point = pending[future]
            try:
                record = future.result()
            except Exception as error:  # a point that fails is reported; the others go on
                progress.failures.append(f"{describe_settings(point.settings)} seed {point.seed}: "
                                         f"{type(error).__name__}: {error}")
                continue
            # what the leaderboard names it by, for the runs list to name it alike
            record["sweep_point"] = {"settings": {k: v if isinstance(v, (bool, int, float, str)) else str(v)
                                                  for k, v in point.settings.items()}, "seed": point.seed}
            store_point(folder, point.id, record)
            progress.done += 1
            on_point(point, record, progress)
    except BaseException:
        if executor is not None:  # interrupted: unfinished points are dropped, their workers ended
            executor.shutdown(wait=False, cancel_futures=True)
            for child in multiprocessing.active_children():
                child.terminate()
            executor = None
        raise
    finally:
        if executor is not None:
            executor.shutdown(wait=True)
