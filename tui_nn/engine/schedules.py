"""Learning-rate schedules, evaluated once per epoch (epochs count from 1)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


class Schedule:
    name = ""

    def __init__(self, base_rate: float):
        self.base_rate = base_rate

    def rate(self, epoch: int) -> float:
        return self.base_rate

    def observe(self, epoch: int, value: float | None) -> None:
        """Called after each epoch with the monitored metric (used by reduce-on-plateau)."""

    def state_dict(self) -> dict[str, Any]:
        return {}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        pass


class Constant(Schedule):
    name = "constant"


class Step(Schedule):
    """lr = base * factor^floor((epoch-1) / every)."""

    name = "step"

    def __init__(self, base_rate: float, every: int = 10, factor: float = 0.5):
        super().__init__(base_rate)
        self.every, self.factor = every, factor

    def rate(self, epoch: int) -> float:
        return self.base_rate * self.factor ** ((epoch - 1) // self.every)


class Exponential(Schedule):
    """lr = base * decay^(epoch-1)."""

    name = "exponential"

    def __init__(self, base_rate: float, decay: float = 0.95):
        super().__init__(base_rate)
        self.decay = decay

    def rate(self, epoch: int) -> float:
        return self.base_rate * self.decay ** (epoch - 1)


class InverseTime(Schedule):
    """lr = base / (1 + decay (epoch-1))."""

    name = "inverse_time"

    def __init__(self, base_rate: float, decay: float = 0.1):
        super().__init__(base_rate)
        self.decay = decay

    def rate(self, epoch: int) -> float:
        return self.base_rate / (1.0 + self.decay * (epoch - 1))


class Cosine(Schedule):
    """lr = min + (base - min) (1 + cos(pi (epoch-1) / epochs)) / 2."""

    name = "cosine"

    def __init__(self, base_rate: float, epochs: int, min_rate: float = 0.0):
        super().__init__(base_rate)
        self.epochs, self.min_rate = max(epochs, 1), min_rate

    def rate(self, epoch: int) -> float:
        progress = min(epoch - 1, self.epochs) / self.epochs
        return self.min_rate + (self.base_rate - self.min_rate) * 0.5 * (1 + math.cos(math.pi * progress))


@dataclass
class _PlateauState:
    current: float
    best: float | None = None
    wait: int = 0


class ReduceOnPlateau(Schedule):
    """Multiply the rate by ``factor`` after ``patience`` epochs without improvement of the monitored
    metric (larger is better for accuracies, smaller for losses), never below ``min_rate``.
    Nielsen ch.3 halves eta this way ("learning-rate schedule")."""

    name = "plateau"

    def __init__(self, base_rate: float, factor: float = 0.5, patience: int = 5,
                 min_rate: float = 0.0, mode: str = "max"):
        super().__init__(base_rate)
        self.factor, self.patience, self.min_rate, self.mode = factor, patience, min_rate, mode
        self._state = _PlateauState(current=base_rate)

    def rate(self, epoch: int) -> float:
        return self._state.current

    def observe(self, epoch: int, value: float | None) -> None:
        if value is None:
            return
        s = self._state
        better = s.best is None or (value > s.best if self.mode == "max" else value < s.best)
        if better:
            s.best, s.wait = value, 0
            return
        s.wait += 1
        if s.wait >= self.patience:
            s.current = max(s.current * self.factor, self.min_rate)
            s.wait = 0

    def state_dict(self) -> dict[str, Any]:
        return {"current": self._state.current, "best": self._state.best, "wait": self._state.wait}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self._state = _PlateauState(**state)


SCHEDULES: dict[str, type[Schedule]] = {
    cls.name: cls for cls in (Constant, Step, Exponential, InverseTime, Cosine, ReduceOnPlateau)
}

#: Each schedule's own settings with defaults (the spec and the editor show exactly these).
SCHEDULE_SETTINGS: dict[str, dict[str, float | int | str]] = {
    "constant": {},
    "step": {"every": 10, "factor": 0.5},
    "exponential": {"decay": 0.95},
    "inverse_time": {"decay": 0.1},
    "cosine": {"min_rate": 0.0},
    "plateau": {"factor": 0.5, "patience": 5, "min_rate": 0.0},
}


def make_schedule(name: str, base_rate: float, epochs: int, mode: str = "max", **settings: Any) -> Schedule:
    if name == "cosine":
        return Cosine(base_rate, epochs, **settings)
    if name == "plateau":
        return ReduceOnPlateau(base_rate, mode=mode, **settings)
    return SCHEDULES[name](base_rate, **settings)
