"""One experiment ready to run: the spec resolved into data, network, optimizer and settings.

Both clients use this, so a preset gives the same numbers in ``tui-nn run`` and in the app.
"""

from __future__ import annotations

from collections.abc import Iterator
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import paths
from ..data import ArrayFeed, Dataset
from ..engine.checkpoint import load_checkpoint
from ..engine.control import Control
from ..engine.events import Event
from ..engine.network import Sequential
from ..engine.optimizers import Optimizer
from ..engine.schedules import Schedule
from ..engine.train import TrainingState, TrainSettings, train
from .architecture import input_shape_of
from .build import (build_feed, build_network, build_optimizer, build_schedule, load_spec_dataset,
                    train_settings)
from .spec import Problem, Spec, SpecError, check_spec
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

    def events(self, control: Control | None = None) -> Iterator[Event]:
        with run_threads(self.blas_threads, self.part_threads):
            yield from train(self.network, self.optimizer, self.feed, self.settings, control,
                             rng=self.rng, schedule=self.schedule, state=self.state)


def prepare(spec: Spec, home: str | None = None, checkpoint: str | Path | None = None,
            resume: str | Path | None = None, dataset: Dataset | None = None) -> Session:
    """Load the data and build everything from one Generator seeded by ``spec.seed``: the network's
    initial weights are drawn first, then the training subset, then the training run itself."""
    dataset = dataset or load_spec_dataset(spec, home)
    input_shape = input_shape_of(spec, dataset.image_shape)
    problems = check_spec(spec, classes=dataset.classes, image_shape=dataset.image_shape)
    if problems:
        raise SpecError(problems)
    rng = np.random.default_rng(spec.seed)
    network = build_network(spec, input_shape, rng)
    feed = build_feed(spec, dataset, rng)
    optimizer = build_optimizer(spec)
    schedule = build_schedule(spec)
    settings = train_settings(spec, feed.train_samples, str(checkpoint) if checkpoint else None)
    state = load_checkpoint(resume, network, optimizer, rng, schedule) if resume else None
    try:
        threads = choose_threads(spec, input_shape, paths.cache_dir(home))
    except ValueError as error:
        raise SpecError([Problem("threads", os.environ.get(THREADS_ENV), str(error))]) from None
    return Session(spec, dataset, feed, network, optimizer, schedule, settings, rng, state,
                   threads.blas, threads.parts, threads.source)
