"""Re-run a recorded experiment and compare it epoch by epoch."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from typing import Any

from ..engine.events import EpochEnd, Steered
from .records import METRIC_KEYS
from .session import prepare
from .thread_choice import THREADS_ENV
from .spec.parse import SpecError, parse_recorded_spec

COMPARED = METRIC_KEYS


@dataclass(frozen=True)
class Difference:
    epoch: int
    metric: str
    recorded: Any
    replayed: Any


def recorded_steering(record: dict[str, Any]) -> tuple[Steered, ...]:
    """The changes a steered run recorded (``"steered"`` events), checked."""
    changes = []
    for index, event in enumerate(record.get("events") or []):
        if not isinstance(event, dict) or event.get("event") != "steered":
            continue
        try:
            change = Steered(int(event["epoch"]), int(event["batch"]), str(event["what"]), float(event["value"]),
                             float(event.get("factor", 1.0)))
        except (KeyError, TypeError, ValueError):
            raise ValueError(f"events[{index}]: a steered event needs epoch, batch, what and value") from None
        if change.what not in ("learning_rate", "stop") or change.factor <= 0:
            raise ValueError(f"events[{index}]: a steered event changes learning_rate (factor > 0) or stop")
        changes.append(change)
    return tuple(changes)


def recorded_threads(record: dict[str, Any]) -> tuple[int, int] | None:
    """(BLAS threads, conv part threads) the record was trained with, when it says."""
    blas = record.get("blas")
    if not isinstance(blas, dict):
        return None
    counts = blas.get("threads"), blas.get("conv_part_threads")
    if all(isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 1024 for n in counts):
        return counts
    return None


def replay(record: dict[str, Any], epochs: int | None = None, home: str | None = None,
           tolerance: float = 0.0) -> tuple[int, list[Difference]]:
    """Run the record's spec and seed for its epochs (or the first ``epochs``), with its thread plan
    unless ``TUI_NN_THREADS`` asks for another; return how many epochs were compared and every
    metric that differs by more than ``tolerance``."""
    spec, problems = parse_recorded_spec(record["spec"])
    if problems:
        raise SpecError(problems, "record spec")
    recorded = record["epochs"][:epochs] if epochs else record["epochs"]
    if not recorded:
        raise ValueError("the record has no finished epoch: there is nothing to compare")
    session = prepare(spec, home)
    threads = recorded_threads(record)
    if threads is not None and not os.environ.get(THREADS_ENV):
        # The record's own thread plan: two BLAS threads sum a product in another order than one,
        # so a dense net's losses would differ in their last float32 digits under another count.
        session = dataclasses.replace(session, blas_threads=threads[0], part_threads=threads[1],
                                      thread_source="recorded")
    # A steered run's changes are made again at the same epoch and batch.
    steering = recorded_steering(record)
    if steering:
        session = dataclasses.replace(session, settings=dataclasses.replace(session.settings, steering=steering))
    differences: list[Difference] = []
    replayed = 0
    for event in session.events():
        if not isinstance(event, EpochEnd):
            continue
        if replayed >= len(recorded):
            break
        metrics, old = event.metrics(), recorded[replayed]
        replayed += 1
        for key in COMPARED:
            a, b = old.get(key), metrics.get(key)
            if (a is None) != (b is None) or (a is not None and abs(a - b) > tolerance):
                differences.append(Difference(event.epoch, key, a, b))
        if replayed == len(recorded):
            break
    if replayed < len(recorded):
        differences.append(Difference(replayed + 1, "epochs", len(recorded), replayed))
    return replayed, differences
