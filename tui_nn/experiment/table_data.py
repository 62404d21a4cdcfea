"""Tables in an experiment: where a spec's table comes from (a CSV file or a generated dataset),
the feed that serves it, the shape the network takes, and the defaults a spec that says little
more than ``[data] path`` and ``target`` trains with.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..data import Dataset, make_splits
from ..data.generated import GENERATED, generate_dataset
from ..data.table import read_table
from ..data.table_feed import TableFeed
from .spec.schema import (
    LayerSpec,
    ModelSpec,
    OptimizerSpec,
    Spec,
    TrainingSpec,
    hyper_defaults,
)


def is_table_path(path: str) -> bool:
    return path.lower().endswith(".csv")


def load_table_data(spec: Spec) -> Dataset | None:
    """The spec's table (``DatasetError`` naming what is wrong with it), or None for images."""
    data = spec.data
    if data.path:
        if not is_table_path(data.path):
            return None
        return read_table(data.path, data.target, data.task, spec.seed, data.train_fraction)
    if data.dataset in GENERATED:
        return generate_dataset(data.dataset, spec.seed, data.points, data.noise, data.train_fraction, data.gate)
    return None


def sample_shape(spec: Spec, dataset: Dataset) -> tuple[int, ...]:
    """One sample as the network's input layer sees it: a table's row after the features."""
    if dataset.is_table and spec.data.features:
        return (len(spec.data.features),)
    return dataset.image_shape


def build_table_feed(spec: Spec, dataset: Dataset, rng: np.random.Generator) -> TableFeed:
    """The splits as for images, but without a validation share unless one is asked for (the
    Playground and the tables train on one part and test on the other)."""
    data = spec.data
    validation = data.validation_size if data.validation_size is not None else 0
    splits = make_splits(dataset, data.train_size, validation, data.test_size, data.subset, rng)
    return TableFeed(splits, spec.training.batch_size, data.features, spec.training.dtype,
                     data.target_normalization == "standard")


#: A table's defaults: one hidden layer of 100 ReLU units trained with Adam, as scikit-learn's
#: MLPClassifier and MLPRegressor default to, for 100 epochs of batches of 32.
TABLE_HIDDEN = 100
TABLE_EPOCHS = 100
TABLE_BATCH = 32
TABLE_LEARNING_RATE = 0.001


def fit_spec_to_data(spec: Spec, dataset: Dataset) -> Spec:
    """The spec a table trains with. A spec that leaves the model at its default (the MNIST
    network's) gets the table's: one hidden layer and an output fitted to the classes, or one
    linear output for a regression; and then the optimizer and the training sections, each when
    it too is left entirely at its defaults, get the table's. A spec that gives a model keeps
    everything it says. Images: unchanged."""
    if not dataset.is_table or spec.model != ModelSpec():
        return spec
    regression = dataset.task == "regression"
    output = (LayerSpec(units=1, activation="linear") if regression
              else LayerSpec(units=dataset.classes, activation="softmax"))
    spec = replace(spec, model=ModelSpec(layers=(LayerSpec(units=TABLE_HIDDEN, activation="relu"), output),
                                         loss="quadratic" if regression else "log_likelihood",
                                         init="he", bias_init="zeros"))
    if spec.optimizer == OptimizerSpec():
        spec = replace(spec, optimizer=OptimizerSpec(
            "adam", {**hyper_defaults("adam"), "learning_rate": TABLE_LEARNING_RATE}))
    if spec.training == TrainingSpec():
        spec = replace(spec, training=replace(spec.training, epochs=TABLE_EPOCHS, batch_size=TABLE_BATCH,
                                              monitor="val_r2" if regression else "val_accuracy"))
    return spec


def table_summary(dataset: Dataset, feed: TableFeed, network) -> dict:
    """What a table run trained on, for its record and model file: the splits, the columns, the
    task, and the scaling (data/features.py) that turns new rows into the network's inputs."""
    splits = feed.splits
    return {"dataset": dataset.name, "source": dataset.source, "task": dataset.task,
            "columns": list(dataset.columns), "image_shape": list(dataset.image_shape),
            "input_shape": list(network.input_shape), "classes": dataset.classes, "train": len(splits.train),
            "validation": len(splits.validation) if splits.validation else 0,
            "test": len(splits.test) if splits.test else 0, "train_samples_per_epoch": feed.train_samples,
            **feed.table_scaling.to_dict()}
