"""The state of a run besides weights, optimizer and random generator: what resuming needs."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

@dataclass
class TrainingState:
    """Everything besides weights, optimizer and RNG that resuming needs to continue exactly."""

    epoch: int = 0
    history: list[dict] = field(default_factory=list)
    best_value: float | None = None
    best_epoch: int = 0
    wait: int = 0
    best_weights: dict[str, np.ndarray] | None = None
    lr_factor: float = 1.0  # steering's multiplier on the schedule's rate
