"""What the spec's data will be, as far as the spec alone says, and the checks that need it: the
output layer against the task (classes, or one output for a regression), the monitor against the
task, the Playground's features against the inputs.

A named dataset's facts are known before anything is read; a folder's or a table's only once it
is (``session.prepare`` checks again with the loaded data's facts).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...data.features import feature_problem
from ...data.generated import GENERATED, generated_inputs, generated_task, split_counts
from .schema import (
    DATASET_CLASSES,
    DATASET_FILES,
    DATASET_SHAPES,
    METRICS,
    REGRESSION_MONITORS,
    ModelSpec,
    Spec,
)


@dataclass(frozen=True)
class DataFacts:
    """The data's task, classes (0 for a regression), one sample's shape as the network first sees
    it (after the features), and the training and test files' sizes; None where not yet known."""

    task: str | None = None
    classes: int | None = None
    sample_shape: tuple[int, ...] | None = None
    files: tuple[int, int] | None = None
    table: bool = False  # rows of numbers rather than images
    inputs: int | None = None  # a table's input columns, before the features


def spec_data_facts(spec: Spec) -> DataFacts:
    data = spec.data
    if data.path:
        return DataFacts(table=data.path.lower().endswith(".csv"))
    if data.dataset in GENERATED:
        inputs = generated_inputs(data.dataset)
        width = len(data.features) if data.features else inputs
        task = generated_task(data.dataset)
        return DataFacts(task, 2 if task == "classification" else 0, (width,),
                         split_counts(data.dataset, data.points, data.train_fraction), True, inputs)
    return DataFacts("classification", DATASET_CLASSES, DATASET_SHAPES.get(data.dataset),
                     DATASET_FILES.get(data.dataset))


def fitted_later(spec: Spec, facts: DataFacts) -> bool:
    """A table (or generated data) with the model left at its default gets a model fitted to it
    (experiment/data_defaults.py): its output layer is not checked against the default's."""
    return facts.table and spec.model == ModelSpec()


ONE_SOFTMAX = ("one softmax unit cannot tell two classes apart; use 2, or a sigmoid output with cross_entropy or "
               "quadratic")


def output_problems(spec: Spec, facts: DataFacts) -> list[tuple[str, object, str]]:
    """(path, value, allowed) of each problem of the output layer and loss with the task."""
    if fitted_later(spec, facts) or facts.task is None:
        return []
    index = len(spec.model.layers) - 1
    last = spec.model.layers[index]
    if facts.task == "regression":
        problems = []
        if last.units != 1:
            problems.append((f"model.layers[{index}].units", last.units, "a regression has one output unit"))
        if spec.model.loss != "quadratic":
            problems.append(("model.loss", spec.model.loss, "a regression fits with the quadratic loss"))
        return problems
    classes = facts.classes
    if classes is None or last.units == classes:
        return []
    if classes == 2 and last.units == 1:
        if spec.model.loss == "log_likelihood":
            return [(f"model.layers[{index}].units", 1, ONE_SOFTMAX)]
        return []
    either = " (or, for two classes, one sigmoid or linear unit)" if classes == 2 else ""
    return [(f"model.layers[{index}].units", last.units, f"the output layer must have one unit per class ({classes})"
                                                         + either)]


def monitor_problem(spec: Spec, facts: DataFacts) -> tuple[str, object, str] | None:
    monitor = spec.training.monitor
    if facts.task == "regression" and monitor in METRICS and monitor.endswith("accuracy"):
        return ("training.monitor", monitor, f"a regression has no accuracy; monitor {', '.join(REGRESSION_MONITORS)} "
                                             + "or a loss")
    if facts.task == "classification" and monitor in REGRESSION_MONITORS:
        return ("training.monitor", monitor, "a classification has no regression errors; monitor an accuracy or a loss")
    return None


def features_problem(spec: Spec, facts: DataFacts) -> tuple[str, object, str] | None:
    features = spec.data.features
    if not features:
        return None
    if not facts.table:
        return ("data.features", list(features), "features are computed from a table's two inputs, not images")
    if facts.inputs is None:
        return None
    problem = feature_problem(features, facts.inputs)
    return ("data.features", list(features), problem) if problem else None


#: Why each table field does nothing for another kind of data.
_ONLY_FOR = {
    "gate": "only the dataset gates has a gate",
    "noise": "only a generated dataset other than gates takes noise",
    "points": "only a generated dataset other than gates draws points; a table has its rows",
    "train_fraction": "only a table or a generated dataset other than gates is split by a fraction",
    "target": "only a CSV table (data.path) has columns",
    "task": "only a CSV table (data.path) has columns",
    # and the other way: what only images read
    "normalization": "only images are normalized so; a table's columns are standardized (target_normalization "
                     "scales a regression's target): leave it out",
    "download": "only a named image dataset is downloaded: leave it out",
    **{f"augment.{key}": "only images are augmented: leave it out"
       for key in ("expand", "shift", "rotate", "scale", "translate")},
}

#: What each of those fields holds when it is left out.
_LEFT_OUT = {"gate": "xor", "noise": 0.0, "points": None, "train_fraction": None, "target": "", "task": "auto",
             "normalization": "unit", "download": False, "augment.expand": "none", "augment.shift": 0,
             "augment.rotate": 0.0, "augment.scale": 0.0, "augment.translate": 0.0}

#: The fields only images read.
IMAGE_ONLY = ("normalization", "download", "augment.expand", "augment.shift", "augment.rotate", "augment.scale",
              "augment.translate")


def data_value(data: object, key: str) -> object:
    """``augment.shift`` of a DataSpec."""
    for part in key.split("."):
        data = getattr(data, part)
    return data


def unused_data_fields(spec: Spec, facts: DataFacts | None = None) -> set[str]:
    """The data fields the spec's kind of data does not read: a table's for images, an image's for
    a table (the editor hides those left out)."""
    data = spec.data
    facts = facts or spec_data_facts(spec)
    generated = not data.path and data.dataset in GENERATED
    unused = set()
    if data.dataset != "gates":
        unused.add("gate")
    if not generated or data.dataset == "gates":
        unused |= {"noise", "points"}
    if not (facts.table and data.dataset != "gates" or data.path):
        unused.add("train_fraction")
    if not facts.table or generated:
        unused |= {"target", "task"}
    if facts.table:
        unused |= set(IMAGE_ONLY)
    return unused


def unused_data_problems(spec: Spec, facts: DataFacts) -> list[tuple[str, object, str]]:
    """Data fields set for another kind of data than the spec's: said, rather than ignored."""
    data, problems = spec.data, []
    unused = unused_data_fields(spec, facts)
    for key, why in _ONLY_FOR.items():
        value = data_value(data, key)
        if key in unused and value != _LEFT_OUT[key]:
            problems.append((f"data.{key}", value, why))
    if facts.task == "regression" and data.subset == "stratified":
        problems.append(("data.subset", data.subset, "a stratified subset draws by class; a regression has none"))
    return problems


def left_out(key: str, value: object) -> bool:
    """A table field at the value it holds when the spec leaves it out."""
    return value == _LEFT_OUT.get(key, value)
