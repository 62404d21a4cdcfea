"""The training loop: a generator of events, the one loop both the CLI and the app drive."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .checkpoint import save_checkpoint
from .control import Control
from .events import (BatchProgress, CheckpointSaved, Diagnostics, Diverged, EarlyStopped, EpochEnd,
                     Event, Finished, Started, Steered)
from .layers import ActivationLayer, Conv2D, Dense
from .losses import predicted_classes
from .metrics import REGRESSION_METRICS, PassMetrics, is_regression
from .network import Sequential
from .optimizers import Optimizer
from .regularizers import Regularization
from .schedules import Constant, Schedule
from .state import TrainingState


class Feed(Protocol):
    """What the loop needs from a dataset (the data package provides it; the engine never imports it)."""

    train_samples: int

    def batches_per_epoch(self) -> int: ...

    def train_batches(self, rng: np.random.Generator) -> Iterator[tuple[np.ndarray, np.ndarray]]: ...

    def eval_batches(self, split: str) -> Iterator[tuple[np.ndarray, np.ndarray]] | None: ...

    def probe(self) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass(frozen=True)
class EarlyStopping:
    """Stop after ``patience`` epochs without an improvement larger than ``min_delta`` of ``monitor``.
    Accuracies must rise, losses must fall. ``patience = 0`` turns it off."""

    monitor: str = "val_accuracy"
    patience: int = 0
    min_delta: float = 0.0
    restore_best: bool = False

    @property
    def maximize(self) -> bool:
        return monitor_maximizes(self.monitor)


def monitor_maximizes(metric: str) -> bool:
    """Accuracies and R^2 must rise; losses and errors must fall."""
    return metric.endswith(("accuracy", "r2"))


@dataclass(frozen=True)
class TrainSettings:
    epochs: int
    regularization: Regularization = Regularization()
    early_stopping: EarlyStopping = EarlyStopping()
    schedule_monitor: str = "val_accuracy"
    diagnostics: bool = True
    progress_interval: float = 0.1
    checkpoint_path: str | None = None
    checkpoint_extra: dict | None = None  # stored in every checkpoint's metadata (the experiment's spec)
    #: Changes to make at given points, as a run that was steered recorded them (see Steered): replay.
    steering: tuple[Steered, ...] = ()




def measure(network: Sequential, batches, target_scale: float = 1.0) -> dict[str, float]:
    """One pass of (x, targets) batches in evaluation mode: the mean loss and the accuracy, or for
    regression targets the MSE, MAE (in the targets' units, see ``PassMetrics``) and R^2."""
    metrics = PassMetrics(network.loss, target_scale)
    for x, labels in batches:
        metrics.add(network.logits(x), labels)
    return metrics.result()


def evaluate(network: Sequential, batches) -> tuple[float, float]:
    """Mean loss and accuracy over one pass of (x, labels) batches, in evaluation mode."""
    result = measure(network, batches)
    return result["loss"], result.get("accuracy", math.nan)


def diagnose(network: Sequential, x: np.ndarray, labels: np.ndarray) -> Diagnostics:
    """Bias-gradient norm per dense or conv layer and dead-unit fraction per ReLU-like layer (a
    conv channel is one unit), in eval mode. A conv net probes only as many samples as one
    evaluation slice, which bounds the memory of its backward pass."""
    step = network.eval_slice()
    x, labels = x[:step], labels[:step]
    z = network.forward(x, training=False)
    _, grad = network.loss.value_and_grad(z, labels)
    network.backward(grad)
    norms, dead = {}, {}
    for index, layer in enumerate(network.layers):
        if isinstance(layer, (Dense, Conv2D)):
            norms[f"layers.{index}"] = float(np.linalg.norm(layer.grads["b"]))
        elif isinstance(layer, ActivationLayer) and layer.activation.can_die:
            per_unit = layer._z.reshape(-1, layer._z.shape[-1])
            dead[f"layers.{index}"] = float(np.mean(np.all(per_unit <= 0, axis=0)))
    return Diagnostics(norms, dead)


#: An epoch whose mean training loss is this many times the run's first batch loss has diverged,
#: even while every number stays finite (SGD at a huge rate can sit at a loss of 1e14).
EXPLOSION = 1000.0


def quiet_numerics():
    """Overflow and invalid values are reported as Diverged events, never as NumPy warnings. Used
    around code that does not yield (a suspended generator would leak the setting to its caller)."""
    return np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore")


def _quietly(events: Iterator[Event]) -> Iterator[Event]:
    """``events`` computed under ``quiet_numerics``, which is lifted while an event is handed
    out: entered once per event instead of once per batch (a microsecond each, per step)."""
    try:
        while True:
            with quiet_numerics():
                event = next(events, None)
            if event is None:
                return
            yield event
    finally:
        events.close()


def _non_finite_param(network: Sequential) -> str | None:
    return next((path for path, value in network.named_params() if not np.isfinite(value).all()), None)


def train(network: Sequential, optimizer: Optimizer, feed: Feed, settings: TrainSettings,
          control: Control | None = None, *, rng: np.random.Generator,
          schedule: Schedule | None = None, state: TrainingState | None = None) -> Iterator[Event]:
    """Train ``network`` and yield events; never raises for a diverging run.

    Pass ``state`` (with the network, optimizer, RNG and schedule restored from a checkpoint) to
    continue a run exactly where it stopped.
    """
    return _quietly(_train(network, optimizer, feed, settings, control, rng=rng, schedule=schedule, state=state))


def _train(network: Sequential, optimizer: Optimizer, feed: Feed, settings: TrainSettings,
           control: Control | None, *, rng: np.random.Generator,
           schedule: Schedule | None, state: TrainingState | None) -> Iterator[Event]:
    """The training loop; its numerics run quietly (``_quietly``)."""
    control = control or Control()
    schedule = schedule or Constant(optimizer.learning_rate)
    state = state or TrainingState()
    run_started = time.perf_counter()
    probe = feed.probe() if settings.diagnostics else None
    batches = feed.batches_per_epoch()
    start_diagnostics = diagnose(network, *probe) if probe else Diagnostics()
    yield Started(settings.epochs, state.epoch + 1, batches, feed.train_samples, start_diagnostics)
    weight_paths = network.weight_paths()
    regularization = settings.regularization
    status = "completed"
    first_loss = state.history[0]["train_loss"] if state.history else None
    planned: dict[tuple[int, int], list[Steered]] = {}
    for change in settings.steering:
        planned.setdefault((change.epoch, change.batch), []).append(change)
    stop_at_epoch_end = False
    while state.epoch < settings.epochs:
        epoch = state.epoch + 1
        optimizer.learning_rate = schedule.rate(epoch) * state.lr_factor
        epoch_started = time.perf_counter()
        paused = 0.0
        last_report = epoch_started
        loss_sum, seen = 0.0, 0
        predicted, truth = [], []  # compared once at the epoch's end: cheaper than per batch
        fitted = PassMetrics(network.loss, getattr(feed, "target_scale", 1.0))  # regression targets
        for index, (x, labels) in enumerate(feed.train_batches(rng), start=1):
            paused += control.wait_while_paused()
            if control.stopped:
                status = "stopped"
                break
            # Most steps have nothing to change: two cheap checks before any list is built.
            changes = list(planned.get((epoch, index), ())) if planned else []
            if control.has_requests():
                changes += [_steer(request, epoch, index, state, schedule) for request in control.take_requests()]
            for change in changes:
                if change.what == "learning_rate":
                    state.lr_factor = change.factor
                    optimizer.learning_rate = schedule.rate(epoch) * state.lr_factor
                else:
                    stop_at_epoch_end = True
                yield change
            loss, z = network.loss_and_grads(x, labels)  # a non-finite loss is reported as Diverged
            finite = math.isfinite(loss)
            if finite:  # a diverged batch never reaches the weights
                if regularization.active:
                    regularization.apply(network.params, network.grads, weight_paths, optimizer.t, rng)
                optimizer.step_packed(network.flat_params, network.flat_grads, network.layout)
            if not finite:
                yield Diverged(epoch, index, f"the training loss became {loss} at epoch {epoch}, batch {index}: "
                                             f"the learning rate ({optimizer.learning_rate:g}) is probably too high")
                status = "diverged"
                break
            first_loss = loss if first_loss is None else first_loss
            loss_sum += loss * len(labels)
            if is_regression(labels):
                fitted.add(z, labels, loss)
            else:
                predicted.append(predicted_classes(network.loss, z))
                truth.append(labels)
            seen += len(labels)
            now = time.perf_counter()
            if now - last_report >= settings.progress_interval or index == batches:
                last_report = now
                yield BatchProgress(epoch, index, batches, seen / max(now - epoch_started - paused, 1e-9))
        if status != "completed":
            break
        correct = np.count_nonzero(np.concatenate(predicted) == np.concatenate(truth)) if predicted else 0
        train_seconds = time.perf_counter() - epoch_started - paused
        bad = _non_finite_param(network)
        if bad:
            yield Diverged(epoch, batches, f"parameter {bad} became NaN or infinite at epoch {epoch}: "
                                           f"the learning rate ({optimizer.learning_rate:g}) is probably too high")
            status = "diverged"
            break
        epoch_loss = loss_sum / max(seen, 1)
        if first_loss and epoch_loss > EXPLOSION * first_loss:
            yield Diverged(epoch, batches, f"the training loss grew from {first_loss:.3g} to {epoch_loss:.3g} by "
                                           f"epoch {epoch} and is not coming back: the learning rate "
                                           f"({optimizer.learning_rate:g}) is probably too high")
            status = "diverged"
            break
        train_metrics = fitted.result() if fitted.regression else {"accuracy": correct / max(seen, 1)}
        event = _end_epoch(network, feed, settings, state, epoch, epoch_loss, train_metrics,
                           optimizer.learning_rate, epoch_started, paused, train_seconds, probe)
        schedule.observe(epoch, event.metrics().get(settings.schedule_monitor))
        stop_event = _early_stopping(network, settings.early_stopping, state, event)
        if settings.checkpoint_path:
            save_checkpoint(settings.checkpoint_path, network, optimizer, rng, schedule, state,
                            settings.checkpoint_extra)
        yield event
        if settings.checkpoint_path:
            yield CheckpointSaved(epoch, settings.checkpoint_path)
        if stop_event:
            yield stop_event
            status = "early_stopped"
            break
        if stop_at_epoch_end:
            status = "stopped"
            break
    yield Finished(status, state.epoch, time.perf_counter() - run_started)


def _steer(request: tuple[str, float], epoch: int, batch: int, state: TrainingState, schedule) -> Steered:
    what, value = request
    if what == "lr":
        factor = state.lr_factor * value
        return Steered(epoch, batch, "learning_rate", schedule.rate(epoch) * factor, factor)
    return Steered(epoch, batch, "stop", 0.0)


def _end_epoch(network, feed, settings, state, epoch, train_loss, train_metrics, rate,
               epoch_started, paused, train_seconds, probe) -> EpochEnd:
    results = {"train": train_metrics}
    for split in ("val", "test"):
        batches = feed.eval_batches(split)
        results[split] = measure(network, batches, getattr(feed, "target_scale", 1.0)) if batches is not None else {}
    diagnostics = diagnose(network, *probe) if probe else Diagnostics()
    regression = {}
    if "mse" in train_metrics:  # a regression: its errors and R^2 beside the (absent) accuracies
        regression = {f"{split}_{name}": results[split].get(name)
                      for split in ("train", "val", "test") for name in REGRESSION_METRICS}
    event = EpochEnd(
        epoch=epoch, epochs=settings.epochs, train_loss=train_loss, train_accuracy=train_metrics.get("accuracy"),
        val_loss=results["val"].get("loss"), val_accuracy=results["val"].get("accuracy"),
        test_loss=results["test"].get("loss"), test_accuracy=results["test"].get("accuracy"), learning_rate=rate,
        seconds=time.perf_counter() - epoch_started - paused,
        samples_per_second=feed.train_samples / max(train_seconds, 1e-9), diagnostics=diagnostics, **regression)
    state.epoch = epoch
    state.history.append(event.metrics())
    return event


def _early_stopping(network: Sequential, rule: EarlyStopping, state: TrainingState,
                    event: EpochEnd) -> EarlyStopped | None:
    if rule.patience <= 0:
        return None
    value = event.metrics().get(rule.monitor)
    if value is None:
        return None
    improved = state.best_value is None or (
        value > state.best_value + rule.min_delta if rule.maximize else value < state.best_value - rule.min_delta)
    if improved:
        state.best_value, state.best_epoch, state.wait = value, event.epoch, 0
        if rule.restore_best:
            state.best_weights = network.state_dict()
        return None
    state.wait += 1
    if state.wait < rule.patience:
        return None
    restored = rule.restore_best and state.best_weights is not None
    if restored:
        network.load_state_dict(state.best_weights)
    return EarlyStopped(event.epoch, rule.monitor, state.best_value, state.best_epoch, restored)
