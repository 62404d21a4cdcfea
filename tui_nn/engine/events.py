"""Events yielded by the training loop: frozen records of plain numbers, safe to hand to any thread."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Diagnostics:
    """Per-layer health of the network, computed on a fixed probe batch of training images.

    ``grad_norms`` are the norms of the mean bias gradient of each dense layer (Nielsen ch.5 measures
    exactly these to show the vanishing gradient); ``dead_fractions`` are, for each ReLU-like
    activation, the fraction of units that output zero for every probe image.
    """

    grad_norms: dict[str, float] = field(default_factory=dict)
    dead_fractions: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Started:
    epochs: int
    first_epoch: int
    batches_per_epoch: int
    train_samples: int
    diagnostics: Diagnostics


@dataclass(frozen=True)
class BatchProgress:
    epoch: int
    batch: int
    batches: int
    samples_per_second: float


@dataclass(frozen=True)
class EpochEnd:
    """One finished epoch. Key names match the run record; accuracies are fractions in [0, 1].
    A regression has no accuracies (None) and reports the mean squared and absolute errors and
    R^2 of each split instead (None for a classification, and then absent from ``metrics``)."""

    epoch: int
    epochs: int
    train_loss: float
    train_accuracy: float
    val_loss: float | None
    val_accuracy: float | None
    test_loss: float | None
    test_accuracy: float | None
    learning_rate: float
    seconds: float
    samples_per_second: float
    diagnostics: Diagnostics
    train_mse: float | None = None
    train_mae: float | None = None
    train_r2: float | None = None
    val_mse: float | None = None
    val_mae: float | None = None
    val_r2: float | None = None
    test_mse: float | None = None
    test_mae: float | None = None
    test_r2: float | None = None

    @property
    def regression(self) -> bool:
        return self.train_mse is not None

    def metrics(self) -> dict[str, float | int | None]:
        """The record's per-epoch object (diagnostics flattened under their own keys)."""
        regression = {f"{split}_{name}": getattr(self, f"{split}_{name}") for split in ("train", "val", "test")
                      for name in ("mse", "mae", "r2")} if self.regression else {}
        return {
            "epoch": self.epoch,
            "train_loss": self.train_loss,
            "train_accuracy": self.train_accuracy,
            "val_loss": self.val_loss,
            "val_accuracy": self.val_accuracy,
            "test_loss": self.test_loss,
            "test_accuracy": self.test_accuracy,
            "learning_rate": self.learning_rate,
            "seconds": self.seconds,
            "samples_per_second": self.samples_per_second,
            "grad_norms": dict(self.diagnostics.grad_norms),
            "dead_fractions": dict(self.diagnostics.dead_fractions),
            **regression,
        }


@dataclass(frozen=True)
class EarlyStopped:
    epoch: int
    monitor: str
    best_value: float
    best_epoch: int
    restored_best: bool


@dataclass(frozen=True)
class CheckpointSaved:
    epoch: int
    path: str


@dataclass(frozen=True)
class Diverged:
    epoch: int
    batch: int
    reason: str


@dataclass(frozen=True)
class Steered:
    """A change made while training, applied before ``batch`` (1-based) of ``epoch``: ``what`` is
    "learning_rate" (``value`` the new rate, ``factor`` the multiplier on the schedule from now on) or
    "stop" (the run ends when this epoch does). Recorded, so a replay makes it at the same point."""

    epoch: int
    batch: int
    what: str
    value: float
    factor: float = 1.0


@dataclass(frozen=True)
class Finished:
    """Always the last event. ``status`` is "completed", "early_stopped", "stopped" or "diverged"."""

    status: str
    epochs_completed: int
    seconds: float


Event = Started | BatchProgress | EpochEnd | EarlyStopped | CheckpointSaved | Diverged | Steered | Finished
