"""From a spec to the engine's objects and the data feed; the one place that wires them together."""

from __future__ import annotations

import numpy as np

from ..data import ArrayFeed, Dataset, load_dataset, make_splits
from ..data.augment import Augmentation
from ..engine.losses import make_loss
from ..engine.network import Sequential
from ..engine.optimizers import Optimizer, optimizer_from_config
from ..engine.regularizers import Regularization
from ..engine.schedules import Schedule, make_schedule
from ..engine.train import EarlyStopping, TrainSettings, monitor_maximizes
from ..common import paths
from .architecture import build_layers
from .table_data import build_table_feed, load_table_data
from .spec.schema import Spec
from .spec.parse import spec_to_dict


def build_network(spec: Spec, input_shape: tuple[int, ...], rng: np.random.Generator) -> Sequential:
    """The output layer's activation is fused into the loss, so it is not a layer of its own."""
    loss = make_loss(spec.model.loss, spec.model.layers[-1].activation)
    return Sequential(build_layers(spec), loss, input_shape).build(rng, spec.training.dtype, spec.training.batch_size)


def build_optimizer(spec: Spec) -> Optimizer:
    return optimizer_from_config({"name": spec.optimizer.name, **spec.optimizer.hyper})


def build_schedule(spec: Spec) -> Schedule:
    schedule = spec.training.schedule
    mode = "max" if monitor_maximizes(spec.training.monitor) else "min"
    return make_schedule(schedule.name, spec.optimizer.learning_rate, spec.training.epochs, mode, **schedule.settings)


def regularization(spec: Spec, train_samples: int) -> Regularization:
    """Nielsen's lambda becomes the per-weight coefficient lambda / n (n = training samples per epoch)."""
    reg = spec.regularization
    return Regularization(l1=reg.l1, l2=reg.l2 + reg.l2_lambda / train_samples,
                          noise_eta=reg.noise_eta, noise_gamma=reg.noise_gamma)


def train_settings(spec: Spec, train_samples: int, checkpoint_path: str | None = None) -> TrainSettings:
    stop = spec.training.early_stopping
    return TrainSettings(
        epochs=spec.training.epochs,
        regularization=regularization(spec, train_samples),
        early_stopping=EarlyStopping(spec.training.monitor, stop.patience, stop.min_delta, stop.restore_best),
        schedule_monitor=spec.training.monitor,
        diagnostics=spec.training.diagnostics,
        checkpoint_path=checkpoint_path,
        checkpoint_extra={"spec": spec_to_dict(spec)},
    )


def load_spec_dataset(spec: Spec, home: str | None = None) -> Dataset:
    table = load_table_data(spec)  # a CSV file or a generated dataset
    if table is not None:
        return table
    data = spec.data
    return load_dataset(data.dataset, path=data.path or None, root=paths.data_root(data.root or None, home),
                        cache=paths.cache_dir(home), download=data.download, loader=data.loader)


def build_feed(spec: Spec, dataset: Dataset, rng: np.random.Generator) -> ArrayFeed:
    if dataset.is_table:
        return build_table_feed(spec, dataset, rng)  # the same Feed, over rows of numbers
    data = spec.data
    splits = make_splits(dataset, data.train_size, data.validation_size, data.test_size, data.subset, rng)
    augment = data.augment
    augmentation = Augmentation(augment.expand, augment.shift, augment.rotate, augment.scale, augment.translate)
    return ArrayFeed(splits, spec.training.batch_size, data.normalization, augmentation, spec.training.dtype)
