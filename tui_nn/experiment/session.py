"""One experiment ready to run: the spec resolved into data, network, optimizer and settings.

Both clients use this, so a preset gives the same numbers in ``tui-nn run`` and in the app.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..common import paths
from ..data import ArrayFeed, Dataset
from ..engine.checkpoint import CheckpointError, load_checkpoint, read_checkpoint
from ..engine.control import Control
from ..engine.events import Event
from ..engine.network import Sequential
from ..engine.optimizers import Optimizer
from ..engine.schedules import Schedule
from ..engine.state import TrainingState
from ..engine.train import TrainSettings, train
from .architecture import input_shape_of
from .build import (build_feed, build_network, build_optimizer, build_schedule, load_spec_dataset, train_settings)
from .memory import memory_problem
from .spec.parse import Problem, SpecError, check_spec, spec_to_dict
from .spec.schema import Spec
from .table_data import fit_spec_to_data, sample_shape, table_summary
from .thread_choice import THREADS_ENV, choose_threads
from .threads import run_threads


@dataclass
class Session:
    spec: Spec
    dataset: Dataset
    feed: ArrayFeed
    network: Sequential
    optimizer: Optimizer
    schedule: Schedule
    settings: TrainSettings
    rng: np.random.Generator
    state: TrainingState | None = None
    blas_threads: int | None = None  # None: the BLAS library's own default
    part_threads: int = 1  # conv layers' batch parts at once (engine/parallel.py)
    thread_source: str = ""  # how they were chosen (see thread_choice.py)

    def data_summary(self) -> dict[str, Any]:
        """What the run trained on, for its record: where the data came from, the shapes and the
        split sizes actually used."""
        splits = self.feed.splits
        if self.dataset.is_table:
            return table_summary(self.dataset, self.feed, self.network)
        return {"dataset": self.dataset.name, "source": self.dataset.source,
                "image_shape": list(self.dataset.image_shape), "input_shape": list(self.network.input_shape),
                "classes": self.dataset.classes, "train": len(splits.train),
                "validation": len(splits.validation) if splits.validation else 0,
                "test": len(splits.test) if splits.test else 0, "train_samples_per_epoch": self.feed.train_samples,
                "scale": self.feed.scaling[0], "offset": self.feed.scaling[1]}

    def events(self, control: Control | None = None) -> Iterator[Event]:
        with run_threads(self.blas_threads, self.part_threads):
            yield from train(self.network, self.optimizer, self.feed, self.settings, control,
                             rng=self.rng, schedule=self.schedule, state=self.state)


def check_schedule(spec: Spec) -> Problem | None:
    """A schedule whose learning rate overflows or reaches zero before the last epoch would
    train on nonsense or stop learning without a word: refused before training."""
    schedule, base = build_schedule(spec), spec.optimizer.learning_rate
    for epoch in range(1, spec.training.epochs + 1):
        try:
            rate = float(schedule.rate(epoch))
        except OverflowError:
            rate = math.inf
        # Below 1e-30 of the start a float32 step changes nothing: learning has stopped.
        if not math.isfinite(rate) or (base > 0 and rate < base * VANISHED):
            what = "overflows" if not math.isfinite(rate) else "vanishes"
            return Problem("training.schedule", spec.training.schedule.name,
                           f"the learning rate {what} at epoch {epoch} ({rate:g} from {base:g}); choose settings "
                           f"that keep it a usable positive number for all {spec.training.epochs} epochs",
                           about_shape=True)
    return None


VANISHED = 1e-30


def resume_from(path, spec: Spec, network, optimizer, rng, schedule) -> TrainingState:
    """The checkpoint's state, after checking it was made by this experiment: the spec it recorded
    must equal this one but for the number of epochs, which may grow, and it must leave epochs to
    train. The first difference is named."""
    _, meta = read_checkpoint(path)
    recorded = meta.get("extra", {}).get("spec") if isinstance(meta.get("extra"), dict) else None
    if isinstance(recorded, dict):
        difference = first_difference(recorded, spec_to_dict(spec), ignore={"training.epochs"})
        if difference:
            key, then, now = difference
            raise CheckpointError(f"{path}: it was trained with {key} = {then!r}; this run has {now!r}")
    state = load_checkpoint(path, network, optimizer, rng, schedule)
    if state.epoch >= spec.training.epochs:
        raise CheckpointError(f"{path}: it already finished epoch {state.epoch} of {spec.training.epochs}; "
                              f"ask for more (--epochs {state.epoch + 1} or more) to continue")
    return state


def first_difference(a: Any, b: Any, ignore: set[str], where: str = "") -> tuple[str, Any, Any] | None:
    """The first path (dotted, as specs name fields) where two plain values differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            path = f"{where}.{key}" if where else str(key)
            if path in ignore:
                continue
            found = first_difference(a.get(key), b.get(key), ignore, path)
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, ignore, f"{where}[{index}]")
            if found:
                return found
        return None
    return None if a == b else (where, a, b)


def prepare(spec: Spec, home: str | None = None, checkpoint: str | Path | None = None,
            resume: str | Path | None = None, dataset: Dataset | None = None,
            threads: int | None = None) -> Session:
    """Load the data and build everything from one Generator seeded by ``spec.seed``: the network's
    initial weights are drawn first, then the training subset, then the training run itself.
    ``threads``: the thread count to train with unless the user set ``TUI_NN_THREADS`` (None:
    the measured choice, see thread_choice.py)."""
    dataset = dataset or load_spec_dataset(spec, home)
    spec = fit_spec_to_data(spec, dataset)  # a table given only its path trains with defaults that fit it
    input_shape = input_shape_of(spec, sample_shape(spec, dataset))
    problems = check_spec(spec, classes=dataset.classes, image_shape=sample_shape(spec, dataset),
                          data_files=(len(dataset.train_labels), len(dataset.test_labels)), task=dataset.task,
                          inputs=len(dataset.columns) if dataset.is_table else None)
    if problems:
        raise SpecError(problems)
    too_big = memory_problem(spec, input_shape)
    if too_big:
        raise SpecError([Problem("model", "memory", too_big, about_shape=True)])
    schedule_problem = check_schedule(spec)
    if schedule_problem:
        raise SpecError([schedule_problem])
    rng = np.random.default_rng(spec.seed)
    network = build_network(spec, input_shape, rng)
    feed = build_feed(spec, dataset, rng)
    optimizer = build_optimizer(spec)
    schedule = build_schedule(spec)
    settings = train_settings(spec, feed.train_samples, str(checkpoint) if checkpoint else None)
    state = resume_from(resume, spec, network, optimizer, rng, schedule) if resume else None
    try:
        plan = choose_threads(spec, input_shape, paths.cache_dir(home), threads)
    except ValueError as error:
        raise SpecError([Problem("threads", os.environ.get(THREADS_ENV) or threads, str(error))]) from None
    return Session(spec, dataset, feed, network, optimizer, schedule, settings, rng, state,
                   plan.blas, plan.parts, plan.source)
