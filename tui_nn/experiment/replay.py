"""Re-run a recorded experiment and compare it epoch by epoch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..engine.events import EpochEnd
from .records import METRIC_KEYS
from .session import prepare
from .spec import SpecError, parse_spec

COMPARED = METRIC_KEYS


@dataclass(frozen=True)
class Difference:
    epoch: int
    metric: str
    recorded: Any
    replayed: Any


def replay(record: dict[str, Any], epochs: int | None = None, home: str | None = None,
           tolerance: float = 0.0) -> tuple[int, list[Difference]]:
    """Run the record's spec and seed for its epochs (or the first ``epochs``); return how many
    epochs were compared and every metric that differs by more than ``tolerance``."""
    spec, problems = parse_spec(record["spec"])
    if problems:
        raise SpecError(problems, "record spec")
    recorded = record["epochs"][:epochs] if epochs else record["epochs"]
    if not recorded:
        raise ValueError("the record has no finished epoch: there is nothing to compare")
    session = prepare(spec, home)
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
